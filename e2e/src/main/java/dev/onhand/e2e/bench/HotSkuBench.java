package dev.onhand.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * P1: one hot SKU at one location, {@code --stock} units available, {@code --clients} closed-loop
 * clients each reserving 1 unit (a unique Idempotency-Key per request) until it is refused with 409
 * INSUFFICIENT_STOCK. With several {@code --ports} the clients are split across the instances.
 *
 * <p>Prints one line: reservations/s, p50/p99, oversold units, units refused while stock remained,
 * unexpected responses, and the ratio to {@code --baseline-tps} (pgbench in the same run). Exits 0
 * whatever the figures are; 3 if the run did not finish (a hang), 2 if it could not run at all.
 */
public final class HotSkuBench {
  private static final double WARMUP_STEP_SECONDS = 5;

  private HotSkuBench() {}

  public static void main(String[] argv) throws Exception {
    try {
      System.exit(run(Args.parse(argv)));
    } catch (IllegalStateException | IllegalArgumentException | IOException e) {
      System.err.println("P1: could not run: " + e.getMessage());
      System.exit(2);
    }
  }

  private static int run(Args args) throws InterruptedException, IOException {
    String label = args.string("label", "1-instance");
    List<Integer> ports = args.ports("ports");
    String sku = args.required("sku");
    String warmSku = args.required("warm-sku");
    String location = args.string("location", "BENCH");
    long stock = args.longValue("stock", 10_000);
    int clients = args.integer("clients", 64);
    double warmupSeconds = args.decimal("warmup-seconds", 5);
    double timeoutSeconds = args.decimal("timeout-seconds", 120);
    double baselineTps = args.decimal("baseline-tps", 0);
    String stateFile = args.string("state-file", null);
    String run = UUID.randomUUID().toString().substring(0, 8);

    int perPort = (clients + ports.size() - 1) / ports.size();
    Api[] apis = ports.stream().map(p -> new Api(Load.vertx(), p, perPort)).toArray(Api[]::new);
    Api first = apis[0];
    first.ensureLocation(location);
    first.ensureItem(sku);
    first.ensureItem(warmSku);
    first.receive(List.of(sku), location, stock);
    first.receive(List.of(warmSku), location, 100_000_000L);

    // warm-up: the same load on another SKU, so neither JIT compilation nor connection setup is
    // measured. It runs in steps of 5 s and prints each step's rate: the climb shows how long a
    // freshly started instance takes to reach the rate measured after it.
    Tally warm = new Tally();
    StringBuilder climb = new StringBuilder();
    for (int step = 0; step * WARMUP_STEP_SECONDS < warmupSeconds; step++) {
      double seconds = Math.min(WARMUP_STEP_SECONDS, warmupSeconds - step * WARMUP_STEP_SECONDS);
      long before = warm.ok.sum();
      // each step its own keys: a key of an earlier step would be answered as a replay
      String keys = run + "w" + step;
      Load.Result warming =
          Load.run(
              clients,
              seconds,
              (client, n) -> reserve(apis, client, n, warmSku, location, keys, warm));
      climb.append(
          String.format(Locale.ROOT, " %.0f", (warm.ok.sum() - before) / warming.seconds()));
    }
    warm.reportSamples("P1 " + label + " warm-up");
    System.out.println(
        "P1 "
            + label
            + " warm-up reservations/s, "
            + fmt(WARMUP_STEP_SECONDS)
            + " s at a time:"
            + climb);

    Tally tally = new Tally();
    Load.Result result =
        Load.run(
            clients,
            timeoutSeconds,
            (client, n) -> reserve(apis, client, n, sku, location, run, tally));
    tally.reportSamples("P1 " + label);

    long confirmed = tally.ok.sum();
    long refused = tally.refused.sum();
    Api.Reply inventory = first.get("/inventory/" + sku);
    String check;
    long available = -1;
    long committed = -1;
    if (inventory.status() != 200) {
      check = "GET_FAILED(" + inventory.status() + ")";
    } else {
      JsonNode totals = inventory.json().path("totals");
      available = totals.path("available").asLong(-1);
      committed = totals.path("committed").asLong(-1);
      boolean ok = committed == confirmed && available == stock - confirmed;
      if (!ok) {
        System.err.println(
            "P1 " + label + ": GET /inventory/" + sku + " answered " + inventory.body());
      }
      check =
          (ok ? "ok" : "MISMATCH")
              + "(available="
              + available
              + ",committed="
              + committed
              + ",confirmed="
              + confirmed
              + ")";
    }
    long oversold = Math.max(0, Math.max(confirmed, committed) - stock);
    // every refusal counts as "while available" when units were left at the end (the final state;
    // without it, fewer confirmations than units)
    boolean unitsLeft = available >= 0 ? available > 0 : confirmed < stock;
    long refusedWhileAvailable = unitsLeft ? refused : 0;
    double rate = confirmed / result.seconds();
    String status = "";
    boolean finished = !result.timedOut() && result.hung() == 0 && !tally.aborted();
    if (tally.aborted()) {
      status = " DID_NOT_FINISH(gave up: the instance stopped answering)";
    } else if (!finished) {
      status =
          " DID_NOT_FINISH(after "
              + fmt(result.seconds())
              + " s, "
              + result.hung()
              + " clients still waiting)";
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "P1 %s reservations/s=%.0f p50=%.1fms p99=%.1fms oversold=%d"
                + " refused_while_available=%d errors=%d confirmed=%d inventory_check=%s%s"
                + " | baseline pgbench_naive_update tps=%.0f | ratio=%s (target >=3)",
            label,
            rate,
            result.p50Millis(),
            result.p99Millis(),
            oversold,
            refusedWhileAvailable,
            tally.errors.sum(),
            confirmed,
            check,
            status,
            baselineTps,
            baselineTps > 0 ? fmt(rate / baselineTps) : "n/a"));
    if (tally.errors.sum() > 0) {
      System.out.println("P1 " + label + " errors by status: " + tally.kinds());
    }
    System.err.println(
        String.format(
            Locale.ROOT,
            "P1 %s: %d clients over ports %s, %.2f s, load generator CPU %.1f s (%.0f%% of one core)",
            label,
            clients,
            ports,
            result.seconds(),
            result.clientCpuSeconds(),
            100 * result.clientCpuSeconds() / result.seconds()));
    if (stateFile != null) {
      Files.writeString(
          Path.of(stateFile),
          "confirmed=" + confirmed + "\nrequests=" + (warm.requests() + tally.requests()) + "\n",
          StandardCharsets.UTF_8);
    }
    return finished ? 0 : 3;
  }

  /** One reservation of 1 unit; false once the SKU is sold out. */
  private static Future<Boolean> reserve(
      Api[] apis, int client, long n, String sku, String location, String run, Tally tally) {
    Api api = apis[client % apis.length];
    String key = "p1-" + run + "-" + client + "-" + n;
    String body =
        "{\"reference\":\""
            + key
            + "\",\"lines\":[{\"sku\":\""
            + sku
            + "\",\"location\":\""
            + location
            + "\",\"quantity\":1}],\"expiresInSeconds\":86400}";
    return api.sendAsync("POST", "/reservations", body, key)
        .compose(
            reply -> {
              if (reply.status() == 201) {
                tally.ok.increment();
                return Future.succeededFuture(true);
              }
              if (reply.status() == 409 && "INSUFFICIENT_STOCK".equals(reply.code())) {
                tally.refused.increment();
                return Future.succeededFuture(false);
              }
              tally.error(api.port(), "POST /reservations " + body, reply);
              if (reply.status() == -1) {
                // no response (e.g. the instance is gone): back off, and give up after many
                return tally.unreachable() ? Future.succeededFuture(false) : Load.after(10, true);
              }
              return Future.succeededFuture(true);
            });
  }

  static String fmt(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
