package dev.onhand.channelsync.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TurnsTest {

  @Test
  void successiveBatchesAreToldStrictlyLaterTurnsSpacedByTheRate() throws Exception {
    Turns turns = new Turns(empty(10, 5));

    List<Long> promised = new ArrayList<>();
    for (int batch = 0; batch < 3; batch++) {
      for (int i = 0; i < 20; i++) {
        promised.add(turn(turns, "SKU-" + batch + "-" + i));
      }
      Thread.sleep(100); // the worker's next round
    }

    for (int i = 1; i < promised.size(); i++) {
      // 200 ms apart at 5 a second; the 2nd batch's first after the 1st batch's last
      assertThat(promised.get(i) - promised.get(i - 1))
          .as("turn %d after turn %d", i, i - 1)
          .isBetween(ms(195), ms(205));
    }
    assertThat(turns.waiting()).isEqualTo(60);
  }

  @Test
  void aSkuBackAtItsTurnGoesWhileANewcomerQueuesBehindThoseStillWaiting() throws Exception {
    Turns turns = new Turns(empty(10, 5));
    Duration first = turns.take("MUG-RED");
    long second = turn(turns, "MUG-BLUE");

    Thread.sleep(first.toMillis() + 1);

    assertThat(turns.take("MUG-RED")).isZero();
    // the bucket holds MUG-BLUE's token soon: a newcomer comes after it, and MUG-BLUE waits
    long newcomer = turn(turns, "MUG-GREEN");
    assertThat(newcomer - second).isBetween(ms(195), ms(205));
    assertThat(turns.take("MUG-BLUE")).isPositive().isLessThanOrEqualTo(Duration.ofMillis(200));
    assertThat(turns.waiting()).isEqualTo(2);
  }

  @Test
  void aSkuBackBeforeItsTurnIsToldTheRestOfItsWaitAndKeepsItsPlace() throws Exception {
    Turns turns = new Turns(empty(10, 5));
    long promised = turn(turns, "MUG-RED");
    turn(turns, "MUG-BLUE");

    Thread.sleep(50);

    assertThat(turn(turns, "MUG-RED") - promised).isBetween(-ms(2), ms(2));
    assertThat(turns.waiting()).isEqualTo(2);
  }

  @Test
  void promisesNeverRedeemedLapseAndFreeTheQueue() throws Exception {
    TokenBucket bucket = empty(10, 50);
    Turns turns = new Turns(bucket, Duration.ofMillis(100));
    for (int i = 0; i < 20; i++) {
      assertThat(turns.take("SKU-" + i)).isPositive(); // turns over the next 400 ms
    }

    Thread.sleep(600); // past the last turn and its grace; the bucket refilled to 10

    assertThat(turns.waiting()).isZero();
    // nobody is owed a token any more: a newcomer goes at once, and a SKU back too late as well
    assertThat(turns.take("SKU-NEW")).isZero();
    assertThat(turns.take("SKU-0")).isZero();
  }

  @Test
  void aHoldMovesThePromisedTurnsBehindThePause() throws Exception {
    Turns turns = new Turns(empty(10, 5));
    Duration first = turns.take("MUG-RED");
    long second = turn(turns, "MUG-BLUE");

    turns.hold(Duration.ofSeconds(1));
    Thread.sleep(first.toMillis() + 1);

    // its old turn came, but the channel said wait: not called, told its new turn instead
    Duration wait = turns.take("MUG-RED");
    assertThat(wait).isGreaterThan(Duration.ofMillis(900));
    long redTurn = System.nanoTime() + wait.toNanos();
    long blueTurn = turn(turns, "MUG-BLUE");
    assertThat(blueTurn - second).isGreaterThan(ms(900));
    assertThat(blueTurn - redTurn).isBetween(ms(195), ms(205));
    // the SKU the channel refused queues after them
    assertThat(turns.promise("MUG-GREEN").toNanos() + System.nanoTime() - blueTurn)
        .isBetween(ms(195), ms(205));
  }

  @Test
  void concurrentBatchesShareOneQueue() throws Exception {
    Turns turns = new Turns(empty(10, 5));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<List<Long>>> batches = new ArrayList<>();
      for (int batch = 0; batch < 4; batch++) {
        String prefix = "SKU-" + batch + "-";
        batches.add(
            () -> {
              List<Long> promised = new ArrayList<>();
              for (int i = 0; i < 25; i++) {
                promised.add(turn(turns, prefix + i));
              }
              return promised;
            });
      }
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> batch : pool.invokeAll(batches)) {
        all.addAll(batch.get());
      }
      Collections.sort(all);

      assertThat(turns.waiting()).isEqualTo(100);
      for (int i = 1; i < all.size(); i++) {
        // no two SKUs share a turn (a thread may be preempted between reading the clock and
        // being answered, hence the margin)
        assertThat(all.get(i) - all.get(i - 1)).isGreaterThan(ms(150));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A bucket as the channel's is after a burst: nothing left, refilling from now. */
  private static TokenBucket empty(double capacity, double rate) {
    TokenBucket bucket = new TokenBucket(capacity, rate);
    bucket.hold(Duration.ZERO);
    return bucket;
  }

  /** The turn {@code sku} is told, in System.nanoTime (to the millisecond it is rounded up to). */
  private static long turn(Turns turns, String sku) {
    long now = System.nanoTime();
    Duration wait = turns.take(sku);
    assertThat(wait).isPositive();
    return now + wait.toNanos();
  }

  private static long ms(long millis) {
    return Duration.ofMillis(millis).toNanos();
  }
}
