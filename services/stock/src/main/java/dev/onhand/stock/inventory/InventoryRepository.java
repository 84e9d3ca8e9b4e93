package dev.onhand.stock.inventory;

import dev.onhand.platform.api.Page;
import dev.onhand.stock.ledger.Bucket;
import dev.onhand.stock.ledger.LedgerEntry;
import dev.onhand.stock.ledger.Reason;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Reads of balances and the ledger; no locks, no writes. */
@ApplicationScoped
public class InventoryRepository {
  private final Pool pool;

  public InventoryRepository(Pool pool) {
    this.pool = pool;
  }

  /** The balances of a SKU, or null when there is no such item. */
  public Uni<List<BalanceView>> ofSku(String sku) {
    return pool.preparedQuery(
            "SELECT i.sku AS item, b.* FROM item i LEFT JOIN balance b ON b.sku = i.sku"
                + " WHERE i.sku = $1 ORDER BY b.location")
        .execute(Tuple.of(sku))
        .map(
            rows -> {
              if (!rows.iterator().hasNext()) {
                return null;
              }
              List<BalanceView> views = new ArrayList<>();
              for (Row row : rows) {
                if (row.getString("location") != null) {
                  views.add(BalanceView.fromRow(row));
                }
              }
              return views;
            });
  }

  public Uni<Page<BalanceView>> list(
      String location, String afterSku, String afterLocation, int limit) {
    String sql =
        location == null
            ? "SELECT * FROM balance WHERE (sku, location) > ($1, $2) ORDER BY sku, location"
                + " LIMIT $3"
            : "SELECT * FROM balance WHERE location = $4 AND sku > $1 ORDER BY sku LIMIT $3";
    Tuple args = Tuple.of(afterSku, afterLocation, limit + 1);
    if (location != null) {
      args.addString(location);
    }
    return pool.preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              List<BalanceView> views = new ArrayList<>();
              rows.forEach(row -> views.add(BalanceView.fromRow(row)));
              return Page.of(views, limit, v -> new String[] {v.sku(), v.location()});
            });
  }

  public Uni<Boolean> locationExists(String code) {
    return pool.preparedQuery("SELECT 1 FROM location WHERE code = $1")
        .execute(Tuple.of(code))
        .map(rows -> rows.iterator().hasNext());
  }

  public Uni<Page<LedgerEntry>> ledger(String sku, String location, List<String> after, int limit) {
    String afterSku = after.isEmpty() ? "" : after.get(0);
    String afterLocation = after.isEmpty() ? "" : after.get(1);
    long afterSequence = after.isEmpty() ? 0 : Long.parseLong(after.get(2));
    return pool.preparedQuery(
            "SELECT * FROM ledger WHERE ($1::text IS NULL OR sku = $1)"
                + " AND ($2::text IS NULL OR location = $2)"
                + " AND (sku, location, sequence) > ($3, $4, $5)"
                + " ORDER BY sku, location, sequence LIMIT $6")
        .execute(
            Tuple.tuple()
                .addString(sku)
                .addString(location)
                .addString(afterSku)
                .addString(afterLocation)
                .addLong(afterSequence)
                .addInteger(limit + 1))
        .map(
            rows -> {
              List<LedgerEntry> entries = new ArrayList<>();
              rows.forEach(row -> entries.add(entry(row)));
              return Page.of(
                  entries,
                  limit,
                  e -> new String[] {e.sku(), e.location(), Long.toString(e.sequence())});
            });
  }

  private static LedgerEntry entry(Row row) {
    return new LedgerEntry(
        row.getUUID("movement_id"),
        row.getString("sku"),
        row.getString("location"),
        row.getLong("sequence"),
        Bucket.fromCode(row.getString("state")),
        row.getLong("delta"),
        row.getLong("balance_after"),
        Reason.fromCode(row.getString("reason")),
        row.getString("reference"),
        row.getString("actor"),
        row.getString("idempotency_key"),
        row.getOffsetDateTime("occurred_at"),
        row.getOffsetDateTime("recorded_at"));
  }
}
