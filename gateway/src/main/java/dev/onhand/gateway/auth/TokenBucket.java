package dev.onhand.gateway.auth;

/**
 * A token bucket: {@code capacity} requests at once, refilled at {@code ratePerSecond}.
 * Thread-safe; a request takes one token or is told how long until one is free.
 */
public final class TokenBucket {
  private final double ratePerSecond;
  private final int capacity;
  private double tokens;
  private long refilledAt;

  public TokenBucket(double ratePerSecond, int capacity) {
    this.ratePerSecond = ratePerSecond;
    this.capacity = capacity;
    this.tokens = capacity;
    this.refilledAt = System.nanoTime();
  }

  /** The outcome of one attempt: allowed or not, tokens left, and seconds until the next token. */
  public record Decision(boolean allowed, int remaining, long retryAfterSeconds, int limit) {}

  public synchronized Decision take() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - refilledAt) / 1e9 * ratePerSecond);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return new Decision(true, (int) tokens, 0, capacity);
    }
    long wait = (long) Math.ceil((1 - tokens) / ratePerSecond);
    return new Decision(false, 0, Math.max(1, wait), capacity);
  }
}
