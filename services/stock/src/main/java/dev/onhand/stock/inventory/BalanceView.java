package dev.onhand.stock.inventory;

import dev.onhand.stock.ledger.Balance;
import dev.onhand.stock.ledger.Bucket;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The quantities of one SKU at one location as integrators see them. {@code version} is the
 * sequence of the last ledger entry, so a reader can tell which of two views is newer.
 */
public record BalanceView(
    String sku,
    String location,
    long available,
    long committed,
    long reserved,
    long safetyStock,
    long qualityControl,
    long damaged,
    long onHand,
    long incoming,
    long version) {

  public static BalanceView of(Balance b) {
    return new BalanceView(
        b.key().sku(),
        b.key().location(),
        b.get(Bucket.AVAILABLE),
        b.get(Bucket.COMMITTED),
        b.get(Bucket.RESERVED),
        b.get(Bucket.SAFETY_STOCK),
        b.get(Bucket.QUALITY_CONTROL),
        b.get(Bucket.DAMAGED),
        b.onHand(),
        b.get(Bucket.INCOMING),
        b.sequence());
  }

  public static BalanceView fromRow(Row row) {
    long available = row.getLong("available");
    long committed = row.getLong("committed");
    long reserved = row.getLong("reserved");
    long safety = row.getLong("safety_stock");
    long qc = row.getLong("quality_control");
    long damaged = row.getLong("damaged");
    return new BalanceView(
        row.getString("sku"),
        row.getString("location"),
        available,
        committed,
        reserved,
        safety,
        qc,
        damaged,
        available + committed + reserved + safety + qc + damaged,
        row.getLong("incoming"),
        row.getLong("sequence"));
  }
}
