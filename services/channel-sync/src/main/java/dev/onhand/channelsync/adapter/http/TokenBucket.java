package dev.onhand.channelsync.adapter.http;

import java.time.Duration;

/**
 * A channel's request budget as a token bucket: it holds up to {@code capacity} tokens and refills
 * continuously at {@code rate} per second. An adapter takes the tokens a call costs before calling
 * and, when they are not there, answers RETRY with the wait this bucket computes instead of
 * spending a call on a throttling error. A channel may also ask for a pause (Retry-After), which
 * holds the bucket empty until it passes. Thread-safe; one instance per channel.
 *
 * <p>The channel's own bucket starts refilling when our first call of a burst arrives there, a
 * network trip after it left here; so when a full bucket is first drawn on, ours starts refilling
 * {@link #LAG} later, and never sees a token before the channel does.
 */
public final class TokenBucket {

  /** How far behind ours the channel's bucket may start refilling (one trip to the API). */
  static final Duration LAG = Duration.ofMillis(100);

  private double capacity;
  private double rate;
  private double tokens;

  /** The time (System.nanoTime) refilling has been counted to; in the future while held. */
  private long refilledAt;

  public TokenBucket(double capacity, double ratePerSecond) {
    this.capacity = capacity;
    this.rate = ratePerSecond;
    this.tokens = capacity;
    this.refilledAt = System.nanoTime();
  }

  /** Takes {@code cost} tokens and answers zero, or takes nothing and answers the wait for them. */
  public synchronized Duration take(double cost) {
    Duration wait = waitFor(cost);
    if (wait.isZero()) {
      long now = System.nanoTime();
      if (tokens >= capacity) {
        refilledAt = Math.max(refilledAt, now + LAG.toNanos());
      }
      tokens -= cost;
    }
    return wait;
  }

  /** The wait until {@code cost} tokens are there (zero when they are now); takes nothing. */
  public synchronized Duration waitFor(double cost) {
    long now = System.nanoTime();
    refill(now);
    double missing = cost - tokens;
    if (missing <= 0) {
      return Duration.ZERO;
    }
    long notBefore = Math.max(0, refilledAt - now);
    return Duration.ofNanos(notBefore + (long) Math.ceil(missing / rate * 1e9));
  }

  /** Replaces what the bucket believes with what the channel reported. */
  public synchronized void observe(double capacity, double available, double ratePerSecond) {
    long now = System.nanoTime();
    refill(now);
    this.capacity = capacity;
    this.rate = ratePerSecond;
    this.tokens = Math.min(capacity, available);
    this.refilledAt = Math.max(refilledAt, now);
  }

  /** A new refill rate (the channel announced another limit). */
  public synchronized void rate(double ratePerSecond) {
    refill(System.nanoTime());
    this.rate = ratePerSecond;
  }

  public synchronized double rate() {
    return rate;
  }

  /**
   * Empties the bucket and lets it refill only after {@code pause}: the channel just said it is
   * empty, which replaces what this bucket believed (including the lag allowance).
   */
  public synchronized void hold(Duration pause) {
    tokens = 0;
    refilledAt = System.nanoTime() + pause.toNanos();
  }

  private void refill(long now) {
    if (now > refilledAt) {
      tokens = Math.min(capacity, tokens + (now - refilledAt) / 1e9 * rate);
      refilledAt = now;
    }
  }
}
