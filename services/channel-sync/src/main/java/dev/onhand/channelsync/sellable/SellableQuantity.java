package dev.onhand.channelsync.sellable;

/**
 * The quantity a channel is shown for a SKU: max(0, min(maximum, floor(pool × percent / 100)) −
 * buffer), where the pool is the available units of the channel's eligible locations. A listing's
 * own buffer or maximum replaces the channel's; a listing's fixed quantity replaces the whole
 * computation (made-to-order or drop-shipped goods the channel may always sell that many of).
 */
public final class SellableQuantity {
  private SellableQuantity() {}

  /** The channel's rules, with a listing's overrides applied; {@code maximum} null is no cap. */
  public record Rules(long buffer, int percent, Long maximum, Long fixedQuantity) {}

  public static long of(long pool, Rules rules) {
    if (rules.fixedQuantity() != null) {
      return rules.fixedQuantity();
    }
    // pool and percent are bounded (balances, 0..100), so the product fits a long
    long share = Math.max(0, pool) * rules.percent() / 100;
    long capped = rules.maximum() == null ? share : Math.min(rules.maximum(), share);
    return Math.max(0, capped - rules.buffer());
  }
}
