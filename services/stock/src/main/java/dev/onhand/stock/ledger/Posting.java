package dev.onhand.stock.ledger;

/**
 * One requested change of one bucket: a {@code delta}, or a {@code setTo} that becomes the delta
 * from the current balance, optionally guarded by {@code changeFrom} (compare-and-set). {@code
 * field} names the request line it came from, for problem details; {@code reason} overrides the
 * movement's.
 */
public record Posting(
    String field,
    BalanceKey key,
    Bucket bucket,
    Long delta,
    Long setTo,
    Long changeFrom,
    Reason reason) {

  public static Posting delta(String field, BalanceKey key, Bucket bucket, long delta) {
    return new Posting(field, key, bucket, delta, null, null, null);
  }
}
