package dev.onhand.stock.ledger;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The balances a transaction has locked, and the ledger entries it makes. Every change goes through
 * {@link #apply}, which refuses a negative balance and numbers the entry with the next sequence of
 * its (SKU, location); {@link Ledger#write} then persists entries and balances together, so
 * balances always equal the sum of the ledger.
 */
public final class StockChange {
  private final Map<BalanceKey, Balance> balances;
  private final Set<BalanceKey> unknown;
  private final List<LedgerEntry> entries = new ArrayList<>();

  StockChange(Map<BalanceKey, Balance> balances, Set<BalanceKey> unknown) {
    this.balances = balances;
    this.unknown = unknown;
  }

  /** Keys whose SKU or location does not exist (only when rows were not created). */
  public Set<BalanceKey> unknown() {
    return Collections.unmodifiableSet(unknown);
  }

  public boolean has(BalanceKey key) {
    return balances.containsKey(key);
  }

  /** The current quantity of a bucket; 0 for a (SKU, location) that has no balance row yet. */
  public long quantity(BalanceKey key, Bucket bucket) {
    Balance balance = balances.get(key);
    return balance == null ? 0 : balance.get(bucket);
  }

  public Balance balance(BalanceKey key) {
    return balances.get(key);
  }

  /** Records one bucket change; throws if the balance is not locked or would go negative. */
  public LedgerEntry apply(BalanceKey key, Bucket bucket, long delta, Movement movement) {
    if (delta == 0) {
      throw new IllegalArgumentException("a ledger entry changes a balance");
    }
    Balance balance = balances.get(key);
    if (balance == null) {
      throw new IllegalStateException("balance not locked: " + key);
    }
    long sequence = balance.apply(bucket, delta);
    LedgerEntry entry =
        new LedgerEntry(
            movement.id(),
            key.sku(),
            key.location(),
            sequence,
            bucket,
            delta,
            balance.get(bucket),
            movement.reason(),
            movement.reference(),
            movement.actor(),
            movement.idempotencyKey(),
            movement.occurredAt() == null ? OffsetDateTime.now() : movement.occurredAt(),
            null);
    entries.add(entry);
    return entry;
  }

  /** A move within one (SKU, location): two entries, out of one bucket and into another. */
  public void move(BalanceKey key, Bucket from, Bucket to, long quantity, Movement movement) {
    apply(key, from, -quantity, movement);
    apply(key, to, quantity, movement);
  }

  public List<LedgerEntry> entries() {
    return Collections.unmodifiableList(entries);
  }

  List<Balance> changedBalances() {
    return balances.values().stream()
        .filter(Balance::changed)
        .sorted((a, b) -> a.key().compareTo(b.key()))
        .toList();
  }
}
