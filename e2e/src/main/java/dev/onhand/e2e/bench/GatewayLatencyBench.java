package dev.onhand.e2e.bench;

import io.vertx.core.Future;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * P2's latency figure: what the gateway adds to one request when nothing queues. One client sends
 * requests one at a time, alternately straight to stock ({@code --direct-port}) and through the
 * gateway ({@code --gateway-port}, with BENCH_API_KEY), so both see the same machine at the same
 * moment; the order within each pair alternates too. After {@code --warmup} pairs, {@code
 * --requests} pairs are measured, each request from just before it is handed to the connection
 * until its whole body has arrived. Each side has {@code --connections} connections (one client
 * each) and pair n uses the (n/2)-th modulo that (each with both orders), so both sides spread over
 * the same set of the service's event loops: with one connection each, which of its event loops a
 * connection landed on (and what else ran there) made differences of several milliseconds either
 * way. Two phases: reservations (quantity 1, a unique Idempotency-Key each: the request of P1),
 * whose latency is mostly PostgreSQL's commit flush and varies by milliseconds, then reads of the
 * SKU's inventory ({@code GET /inventory/<sku>}), which commit nothing and so show the gateway's
 * own share more exactly.
 *
 * <p>A reservation leaves work behind it: the outbox relay wakes on its commit, lingers a few
 * milliseconds to gather more, then runs its own transaction and publishes. Sent back to back, the
 * next request met that work or not depending on the phase between them, and with strict
 * alternation that phase differed between the two sides: added p50 came out anywhere from -11 to +5
 * ms with the same builds. A fixed gap of 15 ms did not cure it (-3.8 and +3.0 ms in two runs: the
 * commit flush itself has modes of about 5, 8 and 11 ms here, and a fixed rhythm locks onto one of
 * them per side). So writes are spaced by a random pause, uniform in 1 to 2 × {@code
 * --write-gap-ms} (default 10): no rhythm, both sides drawn from the same conditions. Reads leave
 * nothing behind and run back to back.
 *
 * <p>Prints one line per phase: p50/p90/p99 direct and via the gateway, and the added p50 and p99
 * (the gateway's percentile minus the direct one). Exits 0 whatever the figures are; 3 when the run
 * did not finish, 2 when it could not run.
 */
public final class GatewayLatencyBench {
  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(2);

  private GatewayLatencyBench() {}

  public static void main(String[] argv) throws Exception {
    try {
      System.exit(run(Args.parse(argv)));
    } catch (IllegalStateException | IllegalArgumentException | IOException e) {
      System.err.println("P2 latency: could not run: " + e.getMessage());
      System.exit(2);
    }
  }

  private static int run(Args args) throws InterruptedException, IOException {
    int directPort = args.integer("direct-port", 18081);
    int gatewayPort = args.integer("gateway-port", 18080);
    String sku = args.string("sku", "LAT-P2");
    String location = args.string("location", "BENCH");
    int warmup = args.integer("warmup", 500);
    int requests = args.integer("requests", 3000);
    int writeRequests = args.integer("write-requests", 1500);
    long writeGapMillis = args.integer("write-gap-ms", 10);
    int connections = args.integer("connections", 4);
    double timeoutSeconds = args.decimal("timeout-seconds", 300);
    if (Api.API_KEY == null) {
      throw new IllegalArgumentException("BENCH_API_KEY (the gateway's bench key) is not set");
    }
    String run = UUID.randomUUID().toString().substring(0, 8);

    Api[] direct = new Api[connections];
    Api[] gateway = new Api[connections];
    for (int i = 0; i < connections; i++) {
      direct[i] = new Api(Load.vertx(), directPort, 1, null);
      gateway[i] = new Api(Load.vertx(), gatewayPort, 1, Api.API_KEY);
    }
    direct[0].ensureLocation(location);
    direct[0].ensureItem(sku);
    direct[0].receive(List.of(sku), location, 1_000_000_000L);

    boolean finished = true;
    for (String kind : new String[] {"reservations", "reads"}) {
      boolean reads = kind.equals("reads");
      finished &=
          phase(
              kind,
              direct,
              gateway,
              run,
              sku,
              location,
              warmup,
              reads ? requests : writeRequests,
              reads ? 0 : writeGapMillis,
              timeoutSeconds);
    }
    return finished ? 0 : 3;
  }

  /** One phase: warm-up pairs, then measured pairs, of one kind of request; prints its line. */
  private static boolean phase(
      String kind,
      Api[] directs,
      Api[] gateways,
      String run,
      String sku,
      String location,
      int warmup,
      int requests,
      long gapMillis,
      double timeoutSeconds)
      throws InterruptedException {
    Histogram directMicros = new Histogram(HIGHEST_MICROS, 3);
    Histogram gatewayMicros = new Histogram(HIGHEST_MICROS, 3);
    Tally tally = new Tally();
    long pairs = (long) warmup + requests;
    boolean reads = kind.equals("reads");
    Load.Result result =
        Load.run(
            1,
            timeoutSeconds,
            (client, n) -> {
              if (n >= pairs || tally.aborted()) {
                return Future.succeededFuture(false);
              }
              boolean measured = n >= warmup;
              Api direct = directs[(int) ((n / 2) % directs.length)];
              Api gateway = gateways[(int) ((n / 2) % gateways.length)];
              Api firstApi = n % 2 == 0 ? direct : gateway;
              Api secondApi = n % 2 == 0 ? gateway : direct;
              return spaced(gapMillis, firstApi, direct, reads, run, n, sku, location, tally)
                  .compose(
                      first ->
                          spaced(gapMillis, secondApi, direct, reads, run, n, sku, location, tally)
                              .map(
                                  second -> {
                                    if (measured) {
                                      record(
                                          firstApi == direct ? directMicros : gatewayMicros, first);
                                      record(
                                          secondApi == direct ? directMicros : gatewayMicros,
                                          second);
                                    }
                                    return true;
                                  }));
            });
    tally.reportSamples("P2 latency " + kind);

    boolean finished = !result.timedOut() && result.hung() == 0 && !tally.aborted();
    System.out.println(
        String.format(
            Locale.ROOT,
            "P2 latency %s 1-client sequential n=%d each way (after %d warm-up pairs%s),"
                + " interleaved: direct p50=%.2fms p90=%.2fms p99=%.2fms | via gateway p50=%.2fms"
                + " p90=%.2fms p99=%.2fms | added_p50=%.2fms (target <1ms) added_p99=%.2fms"
                + " errors=%d%s",
            kind,
            directMicros.getTotalCount(),
            warmup,
            gapMillis > 0 ? ", 1-" + 2 * gapMillis + " ms apart at random" : "",
            millis(directMicros, 50),
            millis(directMicros, 90),
            millis(directMicros, 99),
            millis(gatewayMicros, 50),
            millis(gatewayMicros, 90),
            millis(gatewayMicros, 99),
            millis(gatewayMicros, 50) - millis(directMicros, 50),
            millis(gatewayMicros, 99) - millis(directMicros, 99),
            tally.errors.sum(),
            finished ? "" : " DID_NOT_FINISH"));
    if (tally.errors.sum() > 0) {
      System.out.println("P2 latency " + kind + " errors by status: " + tally.kinds());
    }
    System.err.println(
        String.format(
            Locale.ROOT,
            "P2 latency %s: %.2f s, load generator CPU %.1f s",
            kind,
            result.seconds(),
            result.clientCpuSeconds()));
    return finished;
  }

  /**
   * {@link #timed} after a random pause of 1 to 2 × {@code gapMillis} ms (none when 0), not counted
   * in it.
   */
  private static Future<Long> spaced(
      long gapMillis,
      Api api,
      Api direct,
      boolean read,
      String run,
      long n,
      String sku,
      String location,
      Tally tally) {
    if (gapMillis <= 0) {
      return timed(api, direct, read, run, n, sku, location, tally);
    }
    return Load.after(1 + ThreadLocalRandom.current().nextLong(2 * gapMillis), null)
        .compose(ignored -> timed(api, direct, read, run, n, sku, location, tally));
  }

  /**
   * One reservation of 1 unit, or one read of the SKU's inventory; completes with its latency in
   * microseconds, or -1 when it was not the expected 201 or 200.
   */
  private static Future<Long> timed(
      Api api,
      Api direct,
      boolean read,
      String run,
      long n,
      String sku,
      String location,
      Tally tally) {
    String key = "p2-lat-" + run + "-" + (api == direct ? "d-" : "g-") + n;
    String body =
        read
            ? null
            : "{\"reference\":\""
                + key
                + "\",\"lines\":[{\"sku\":\""
                + sku
                + "\",\"location\":\""
                + location
                + "\",\"quantity\":1}],\"expiresInSeconds\":86400}";
    String method = read ? "GET" : "POST";
    String path = read ? "/inventory/" + sku : "/reservations";
    int expected = read ? 200 : 201;
    long start = System.nanoTime();
    return api.sendAsync(method, path, body, read ? null : key)
        .compose(
            reply -> {
              long micros = (System.nanoTime() - start) / 1000;
              if (reply.status() == expected) {
                tally.ok.increment();
                return Future.succeededFuture(micros);
              }
              tally.error(api.port(), method + " " + path + " " + body, reply);
              if (reply.status() == -1) {
                tally.unreachable();
                return Load.after(10, -1L);
              }
              return Future.succeededFuture(-1L);
            });
  }

  private static void record(Histogram histogram, long micros) {
    if (micros >= 0) {
      histogram.recordValue(Math.min(Math.max(micros, 1), HIGHEST_MICROS));
    }
  }

  private static double millis(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0
        ? Double.NaN
        : histogram.getValueAtPercentile(percentile) / 1000.0;
  }
}
