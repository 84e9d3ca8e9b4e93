package dev.onhand.e2e.bench;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * P4: ledger writes spread over many SKUs. {@code prepare} creates the items {@code <prefix>1 ..
 * <prefix><count>} and their balances through the API; {@code run} drives {@code --clients}
 * closed-loop clients for {@code --seconds}, each posting one adjustment line (delta +1, reason
 * correction) on a random SKU, after a warm-up on {@code --warm-prefix} SKUs.
 *
 * <p>Prints one line: movements/s, p50/p99, unexpected responses and the ratio to {@code
 * --baseline-tps}; writes {@code confirmed=N} to {@code --state-file} for the ledger check. Exits 0
 * whatever the figures are; 3 on a hang, 2 if it could not run.
 */
public final class LedgerBench {
  private LedgerBench() {}

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    try {
      String mode = args.positional(0, "run");
      if (mode.equals("prepare")) {
        prepare(args);
        System.exit(0);
      } else if (mode.equals("run")) {
        System.exit(run(args));
      } else {
        throw new IllegalArgumentException("mode must be prepare or run, not " + mode);
      }
    } catch (IllegalStateException | IllegalArgumentException | IOException e) {
      System.err.println("P4: could not run: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void prepare(Args args) throws Exception {
    Api api = new Api(Load.vertx(), args.ports("ports").get(0), 8);
    String location = args.string("location", "BENCH");
    int count = args.integer("count", 1000);
    api.ensureLocation(location);
    for (String prefix : args.required("prefixes").split(",")) {
      List<String> skus = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        skus.add(prefix + i);
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<java.util.concurrent.Future<?>> puts = new ArrayList<>();
        for (String sku : skus) {
          puts.add(pool.submit(() -> api.ensureItem(sku)));
        }
        for (java.util.concurrent.Future<?> put : puts) {
          put.get();
        }
      } finally {
        pool.shutdown();
      }
      // one received unit each creates every balance row (the adjustment API allows 500 lines)
      for (int from = 0; from < skus.size(); from += 500) {
        api.receive(skus.subList(from, Math.min(skus.size(), from + 500)), location, 1);
      }
      System.err.println("P4: prepared " + count + " items and balances " + prefix + "1..");
    }
    // one request exactly like the measured ones, whose stored rows give the pgbench script its
    // sizes (response body, outbox headers and payload)
    String sample = args.string("sample-sku", null);
    if (sample != null) {
      String key = "p4-sample-" + UUID.randomUUID();
      api.requireKeyed(
          "POST",
          "/inventory/adjustments",
          "{\"reason\":\"correction\",\"reference\":\""
              + key
              + "\",\"lines\":["
              + Api.adjustmentLine(sample, location, 1)
              + "]}",
          key,
          201);
    }
  }

  private static int run(Args args) throws Exception {
    List<Integer> ports = args.ports("ports");
    String prefix = args.required("prefix");
    String warmPrefix = args.required("warm-prefix");
    int count = args.integer("count", 1000);
    int warmCount = args.integer("warm-count", count);
    String location = args.string("location", "BENCH");
    int clients = args.integer("clients", 32);
    double seconds = args.decimal("seconds", 15);
    double warmupSeconds = args.decimal("warmup-seconds", 5);
    double baselineTps = args.decimal("baseline-tps", 0);
    String stateFile = args.string("state-file", null);
    String run = UUID.randomUUID().toString().substring(0, 8);
    int perPort = (clients + ports.size() - 1) / ports.size();
    Api[] apis = ports.stream().map(p -> new Api(Load.vertx(), p, perPort)).toArray(Api[]::new);

    Tally warm = new Tally();
    Load.run(
        clients,
        warmupSeconds,
        (client, n) -> adjust(apis, client, n, warmPrefix, warmCount, location, run + "w", warm));
    warm.reportSamples("P4 warm-up");

    Tally tally = new Tally();
    Load.Result result =
        Load.run(
            clients,
            seconds,
            (client, n) -> adjust(apis, client, n, prefix, count, location, run, tally));
    tally.reportSamples("P4");
    long confirmed = tally.ok.sum();
    if (stateFile != null) {
      Files.writeString(
          Path.of(stateFile),
          "confirmed="
              + confirmed
              + "\nerrors="
              + tally.errors.sum()
              + "\nrequests="
              + (warm.requests() + tally.requests())
              + "\n",
          StandardCharsets.UTF_8);
    }
    double rate = confirmed / result.seconds();
    String status =
        tally.aborted()
            ? " DID_NOT_FINISH(gave up: the instance stopped answering)"
            : result.hung() > 0
                ? " DID_NOT_FINISH(" + result.hung() + " clients still waiting)"
                : "";
    System.out.println(
        String.format(
            Locale.ROOT,
            "P4 adjustments %d-skus %d-clients movements/s=%.0f p50=%.1fms p99=%.1fms errors=%d"
                + " confirmed=%d%s | baseline pgbench_adjustment_txn tps=%.0f | ratio=%s"
                + " (target >=0.7)",
            count,
            clients,
            rate,
            result.p50Millis(),
            result.p99Millis(),
            tally.errors.sum(),
            confirmed,
            status,
            baselineTps,
            baselineTps > 0 ? HotSkuBench.fmt(rate / baselineTps) : "n/a"));
    if (tally.errors.sum() > 0) {
      System.out.println("P4 errors by status: " + tally.kinds());
    }
    System.err.println(
        String.format(
            Locale.ROOT,
            "P4: %d clients over ports %s, %.2f s, load generator CPU %.1f s (%.0f%% of one core)",
            clients,
            ports,
            result.seconds(),
            result.clientCpuSeconds(),
            100 * result.clientCpuSeconds() / result.seconds()));
    return result.hung() > 0 || tally.aborted() ? 3 : 0;
  }

  /** One adjustment of +1 available on a random SKU of {@code prefix}. */
  private static Future<Boolean> adjust(
      Api[] apis,
      int client,
      long n,
      String prefix,
      int count,
      String location,
      String run,
      Tally tally) {
    Api api = apis[client % apis.length];
    String sku = prefix + (1 + ThreadLocalRandom.current().nextInt(count));
    String key = "p4-" + run + "-" + client + "-" + n;
    String body =
        "{\"reason\":\"correction\",\"reference\":\""
            + key
            + "\",\"lines\":["
            + Api.adjustmentLine(sku, location, 1)
            + "]}";
    return api.sendAsync("POST", "/inventory/adjustments", body, key)
        .compose(
            reply -> {
              if (reply.status() == 201) {
                tally.ok.increment();
                return Future.succeededFuture(true);
              }
              tally.error(api.port(), "POST /inventory/adjustments " + body, reply);
              if (reply.status() == -1) {
                // no response (e.g. the instance is gone): back off, and give up after many
                return tally.unreachable() ? Future.succeededFuture(false) : Load.after(10, true);
              }
              return Future.succeededFuture(true);
            });
  }
}
