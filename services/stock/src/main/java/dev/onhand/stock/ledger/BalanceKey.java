package dev.onhand.stock.ledger;

import java.util.Comparator;

/** One SKU at one location: the unit of balances, sequences and row locks. */
public record BalanceKey(String sku, String location) implements Comparable<BalanceKey> {
  private static final Comparator<BalanceKey> ORDER =
      Comparator.comparing(BalanceKey::sku).thenComparing(BalanceKey::location);

  /**
   * Locks are always taken in this order, so two transactions never wait on each other in a cycle.
   */
  @Override
  public int compareTo(BalanceKey other) {
    return ORDER.compare(this, other);
  }

  /** The message subject and outbox aggregate of this balance's events. */
  public String subject() {
    return sku + "@" + location;
  }
}
