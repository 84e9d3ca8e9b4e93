package dev.onhand.channelsync.adapter.http;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A queue in front of a {@link TokenBucket}, kept across pushes: a SKU told to wait is promised a
 * turn, {@code 1/rate} after the last one promised and never sooner than the bucket allows, and
 * comes through when it returns at that turn. Without it every batch handed out the same first
 * turns again, the SKUs came back long before a token could be theirs, and each return cost a
 * claim, an adapter pass and an UPDATE for nothing.
 *
 * <p>A SKU without a promise goes at once only when the bucket still holds a token for every
 * promise outstanding; else it queues behind them, so nobody overtakes and the channel never gets
 * more than the bucket allows. A promise not redeemed within {@link #GRACE} of its turn (the SKU
 * was pushed otherwise, the channel removed) lapses, and its slot is lost. Thread-safe; one
 * instance per channel and operation.
 */
public final class Turns {

  /**
   * How long after its turn a promise is kept: the worker brings a waiting SKU back no sooner than
   * its backoff (up to a second for a first attempt) and one poll later.
   */
  static final Duration GRACE = Duration.ofSeconds(5);

  private final TokenBucket bucket;
  private final long graceNanos;

  /** Promised turns (System.nanoTime) by SKU, in the order promised, which is also turn order. */
  private final LinkedHashMap<String, Long> promises = new LinkedHashMap<>();

  /** The latest turn promised; counts only while a promise is outstanding. */
  private long last;

  public Turns(TokenBucket bucket) {
    this(bucket, GRACE);
  }

  Turns(TokenBucket bucket, Duration grace) {
    this.bucket = bucket;
    this.graceNanos = grace.toNanos();
  }

  public TokenBucket bucket() {
    return bucket;
  }

  /**
   * Zero when {@code sku} may call now (its token is taken), else the wait until its turn: the one
   * promised before, or a new one at the end of the queue.
   */
  public synchronized Duration take(String sku) {
    long now = System.nanoTime();
    lapse(now);
    Long turn = promises.get(sku);
    if (turn != null) {
      if (now < turn) {
        return until(turn, now);
      }
      if (bucket.take(1).isZero()) {
        promises.remove(sku);
        return Duration.ZERO;
      }
      // its token went with a hold or a lower rate: it queues again
      promises.remove(sku);
    }
    long next = next(now);
    if (next <= now) {
      bucket.take(1);
      return Duration.ZERO;
    }
    return promise(sku, next, now);
  }

  /** Promises {@code sku} the next turn without trying the bucket (the channel just refused it). */
  public synchronized Duration promise(String sku) {
    long now = System.nanoTime();
    lapse(now);
    promises.remove(sku);
    return promise(sku, Math.max(next(now), now + 1), now);
  }

  /**
   * Holds the bucket through {@code pause} (the channel said it is empty) and moves the promised
   * turns back behind it, in their order, so none comes back to a token that is not there.
   */
  public synchronized void hold(Duration pause) {
    bucket.hold(pause);
    long now = System.nanoTime();
    lapse(now);
    long next = now + bucket.waitFor(1).toNanos();
    for (Map.Entry<String, Long> promise : promises.entrySet()) {
      long turn = Math.max(promise.getValue(), next);
      promise.setValue(turn);
      last = turn;
      next = turn + spacing();
    }
  }

  /** How many promises are outstanding. */
  synchronized int waiting() {
    lapse(System.nanoTime());
    return promises.size();
  }

  /**
   * The earliest turn for a SKU joining the queue: once the bucket holds a token for each promise
   * outstanding and one more, and not before {@code 1/rate} after the last one promised.
   */
  private long next(long now) {
    long byBucket = now + bucket.waitFor(1 + promises.size()).toNanos();
    return promises.isEmpty() ? byBucket : Math.max(last + spacing(), byBucket);
  }

  private Duration promise(String sku, long turn, long now) {
    promises.put(sku, turn); // after every other turn promised, see next()
    last = turn;
    return until(turn, now);
  }

  /** Rounded up to the millisecond the worker schedules in, so a SKU never returns early. */
  private static Duration until(long turn, long now) {
    return Duration.ofMillis((turn - now + 999_999) / 1_000_000);
  }

  private void lapse(long now) {
    Iterator<Long> turns = promises.values().iterator();
    while (turns.hasNext()) {
      if (now - turns.next() <= graceNanos) {
        return;
      }
      turns.remove();
    }
  }

  private long spacing() {
    return (long) Math.ceil(1e9 / bucket.rate());
  }
}
