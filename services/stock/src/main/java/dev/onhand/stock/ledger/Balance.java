package dev.onhand.stock.ledger;

import io.vertx.mutiny.sqlclient.Row;

/** The balances of one (SKU, location) as locked in the current transaction, changed in memory. */
public final class Balance {
  private final BalanceKey key;
  private final long[] quantities = new long[Bucket.values().length];
  private long sequence;
  private boolean changed;
  // the item's threshold and the level when the row was locked: a crossing is judged against them
  private long lowStockThreshold;
  private StockLevel openingLevel;

  Balance(BalanceKey key) {
    this.key = key;
  }

  static Balance fromRow(Row row) {
    Balance balance = new Balance(new BalanceKey(row.getString("sku"), row.getString("location")));
    for (Bucket bucket : Bucket.values()) {
      balance.quantities[bucket.ordinal()] = row.getLong(bucket.column());
    }
    balance.sequence = row.getLong("sequence");
    balance.lowStockThreshold = row.getLong("low_stock_threshold");
    balance.openingLevel = balance.level();
    return balance;
  }

  /** A copy as it is now, for a response that must not see later changes in the transaction. */
  public Balance snapshot() {
    Balance copy = new Balance(key);
    System.arraycopy(quantities, 0, copy.quantities, 0, quantities.length);
    copy.sequence = sequence;
    copy.changed = changed;
    copy.lowStockThreshold = lowStockThreshold;
    copy.openingLevel = openingLevel;
    return copy;
  }

  public BalanceKey key() {
    return key;
  }

  public long get(Bucket bucket) {
    return quantities[bucket.ordinal()];
  }

  public long sequence() {
    return sequence;
  }

  public long onHand() {
    long sum = 0;
    for (Bucket bucket : Bucket.values()) {
      if (bucket.physical()) {
        sum += quantities[bucket.ordinal()];
      }
    }
    return sum;
  }

  /** The level now, against the item's low-stock threshold as read when the row was locked. */
  public StockLevel level() {
    return StockLevel.of(get(Bucket.AVAILABLE), lowStockThreshold);
  }

  StockLevel openingLevel() {
    return openingLevel;
  }

  long lowStockThreshold() {
    return lowStockThreshold;
  }

  boolean changed() {
    return changed;
  }

  /** Applies a delta and returns the new sequence; the caller checked it stays non-negative. */
  long apply(Bucket bucket, long delta) {
    long after = Math.addExact(quantities[bucket.ordinal()], delta);
    if (after < 0) {
      throw new IllegalStateException("bucket would go negative: " + key + " " + bucket);
    }
    quantities[bucket.ordinal()] = after;
    changed = true;
    return ++sequence;
  }
}
