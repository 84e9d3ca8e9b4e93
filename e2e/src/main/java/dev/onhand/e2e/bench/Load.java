package dev.onhand.e2e.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A closed loop: {@code clients} concurrent clients, each sending its next request as soon as the
 * previous one is answered, until it decides to stop or the deadline passes. All clients run on one
 * Vert.x event loop, so the load generator costs little CPU; latencies (microseconds, from just
 * before the request is handed to the connection until its whole body has arrived) go to one
 * HdrHistogram.
 */
final class Load {
  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(2);
  private static final Vertx VERTX =
      Vertx.vertx(
          new VertxOptions()
              .setEventLoopPoolSize(1)
              .setWorkerPoolSize(2)
              .setBlockedThreadCheckInterval(10_000));

  /** One client's loop body. */
  interface Client {
    /** Sends one request; completes with false to stop this client. */
    Future<Boolean> step(int client, long sequence);
  }

  /**
   * What a run measured. {@code hung} counts clients still waiting long after the deadline; {@code
   * clientCpuSeconds} is the CPU this generator process used during the run.
   */
  record Result(
      Histogram latencies, long elapsedNanos, boolean timedOut, int hung, double clientCpuSeconds) {
    double seconds() {
      return elapsedNanos / 1e9;
    }

    double p50Millis() {
      return latencies.getValueAtPercentile(50) / 1000.0;
    }

    double p99Millis() {
      return latencies.getValueAtPercentile(99) / 1000.0;
    }
  }

  private Load() {}

  static Vertx vertx() {
    return VERTX;
  }

  /** A future completed after {@code millis}, to back off after a transport failure. */
  static <T> Future<T> after(long millis, T value) {
    Promise<T> promise = Promise.promise();
    VERTX.setTimer(millis, id -> promise.complete(value));
    return promise.future();
  }

  /** Runs the clients until each stops by itself or {@code seconds} pass. */
  static Result run(int clients, double seconds, Client client) throws InterruptedException {
    long budget = (long) (seconds * 1e9);
    CountDownLatch done = new CountDownLatch(clients);
    Histogram latencies = new Histogram(HIGHEST_MICROS, 3);
    boolean[] timedOut = new boolean[1];
    long[] times = new long[2];
    Context context = VERTX.getOrCreateContext();
    long cpuBefore = processCpuNanos();
    context.runOnContext(
        ignored -> {
          times[0] = System.nanoTime();
          for (int i = 0; i < clients; i++) {
            next(client, i, 0, times[0] + budget, latencies, timedOut, done);
          }
        });
    // a request in flight at the deadline may take up to the HTTP timeout (30 s) to answer
    boolean all = done.await(budget + TimeUnit.SECONDS.toNanos(40), TimeUnit.NANOSECONDS);
    long end = System.nanoTime();
    double cpu = (processCpuNanos() - cpuBefore) / 1e9;
    CountDownLatch copied = new CountDownLatch(1);
    Histogram result = new Histogram(HIGHEST_MICROS, 3);
    boolean[] late = new boolean[1];
    context.runOnContext(
        ignored -> {
          result.add(latencies);
          late[0] = timedOut[0];
          copied.countDown();
        });
    copied.await(5, TimeUnit.SECONDS);
    return new Result(result, end - times[0], late[0], all ? 0 : (int) done.getCount(), cpu);
  }

  private static void next(
      Client client,
      int id,
      long sequence,
      long deadline,
      Histogram latencies,
      boolean[] timedOut,
      CountDownLatch done) {
    long start = System.nanoTime();
    if (start - deadline >= 0) {
      timedOut[0] = true;
      done.countDown();
      return;
    }
    client
        .step(id, sequence)
        .onComplete(
            outcome -> {
              long micros = (System.nanoTime() - start) / 1000;
              latencies.recordValue(Math.min(Math.max(micros, 1), HIGHEST_MICROS));
              if (outcome.succeeded() && outcome.result()) {
                next(client, id, sequence + 1, deadline, latencies, timedOut, done);
              } else {
                if (outcome.failed()) {
                  outcome.cause().printStackTrace();
                }
                done.countDown();
              }
            });
  }

  private static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
    }
    return 0;
  }
}
