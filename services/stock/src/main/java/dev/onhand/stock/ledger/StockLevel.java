package dev.onhand.stock.ledger;

/**
 * Where a (SKU, location)'s sellable units stand against the item's low-stock threshold. Moving
 * from one level to another is a crossing, announced once as {@code stock.level.crossed}; changes
 * that stay within a level announce nothing.
 */
public enum StockLevel {
  /** No available unit. */
  OUT_OF_STOCK,
  /** Some available units, but no more than the item's low-stock threshold. */
  LOW_STOCK,
  /** More available units than the threshold. */
  IN_STOCK;

  public static StockLevel of(long available, long lowStockThreshold) {
    if (available == 0) {
      return OUT_OF_STOCK;
    }
    return available <= lowStockThreshold ? LOW_STOCK : IN_STOCK;
  }
}
