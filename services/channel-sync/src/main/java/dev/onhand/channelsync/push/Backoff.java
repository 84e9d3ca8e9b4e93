package dev.onhand.channelsync.push;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed push waits: exponential from {@code first}, capped at {@code max}, with equal
 * jitter (half fixed, half random) so pushes throttled together do not come back together. A
 * channel's own Retry-After is a floor.
 */
record Backoff(Duration first, Duration max) {

  Duration after(int attempt, Duration retryAfter) {
    long cap = max.toMillis();
    long exponential = first.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
    long ceiling = Math.max(1, Math.min(cap, exponential));
    long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    Duration wait = Duration.ofMillis(jittered);
    return retryAfter != null && retryAfter.compareTo(wait) > 0 ? retryAfter : wait;
  }
}
