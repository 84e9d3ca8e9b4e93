package dev.onhand.e2e.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * R2: {@code kill -9} of PostgreSQL (every process: stock's database with it) while clients reserve
 * one hot SKU and post adjustments, then a restart. Every request answered 2xx has exactly one
 * ledger movement; a request that failed is retried with its Idempotency-Key; balances equal the
 * ledger, no bucket is negative, and the reservations never exceed the stock (no oversell).
 */
final class DatabaseKilled implements Faults.Scenario {
  private static final long HOT_STOCK = 400;
  private final Suite suite;

  DatabaseKilled(Suite suite) {
    this.suite = suite;
  }

  @Override
  public Outcome run() throws Exception {
    Outcome outcome = new Outcome();
    String location = suite.location();
    String hot = suite.item();
    String adjusted = suite.item();
    suite.adjust(hot, location, HOT_STOCK);
    String run = Suite.unique("r2");
    List<String> reservations = Collections.synchronizedList(new ArrayList<>());
    List<String> adjustments = Collections.synchronizedList(new ArrayList<>());
    AtomicLong failures = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(12);
    List<Future<?>> work = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      int client = c;
      work.add(
          clients.submit(
              () -> {
                for (int i = 0; running.get(); i++) {
                  String key = run + "-res-" + client + "-" + i;
                  Http.Reply reply = retry(outcome, failures, () -> reserve(hot, location, key));
                  if (reply.status() == 201) {
                    reservations.add(reply.json().path("id").asText());
                  } else if (reply.status() == 409) {
                    return null; // sold out
                  }
                }
                return null;
              }));
    }
    for (int c = 0; c < 4; c++) {
      int client = c;
      work.add(
          clients.submit(
              () -> {
                for (int i = 0; running.get(); i++) {
                  String reference = run + ":adj:" + client + ":" + i;
                  Http.Reply reply =
                      retry(outcome, failures, () -> adjust(adjusted, location, reference));
                  if (reply.status() == 201) {
                    adjustments.add(reference);
                  }
                }
                return null;
              }));
    }
    long deadBefore = Suite.deadLettered();
    Suite.sleep(4000);
    Suite.killPostgres();
    outcome.notes.add("PostgreSQL killed");
    Suite.sleep(5000);
    Suite.restartInfra();
    outcome.notes.add("PostgreSQL restarted");
    Suite.sleep(8000);
    running.set(false);
    for (Future<?> f : work) {
      f.get();
    }
    clients.shutdown();
    suite.awaitHealthy(List.of("stock", "receiving", "fulfillment", "returns"), 120);

    for (String reference : adjustments) {
      long movements =
          suite.scalar(
              "stock",
              "SELECT count(DISTINCT movement_id) FROM ledger WHERE reference = ?",
              reference);
      if (movements == 0) {
        outcome.lost++;
      } else if (movements > 1) {
        outcome.duplicated++;
      }
    }
    long adjustedUnits =
        suite.scalar(
            "stock",
            "SELECT available FROM balance WHERE sku = ? AND location = ?",
            adjusted,
            location);
    outcome.unexpected += Math.max(0, adjustedUnits - adjustments.size());
    outcome.check(adjustedUnits >= adjustments.size() - outcome.lost, "adjusted units");
    long committed =
        suite.scalar(
            "stock", "SELECT committed FROM balance WHERE sku = ? AND location = ?", hot, location);
    long available =
        suite.scalar(
            "stock", "SELECT available FROM balance WHERE sku = ? AND location = ?", hot, location);
    long reservedRows =
        suite.scalar(
            "stock",
            "SELECT count(*) FROM reservation WHERE reference LIKE ?",
            "order:" + run + "%");
    outcome.check(
        committed + available == HOT_STOCK, "no oversell: committed + available = " + HOT_STOCK);
    outcome.check(
        committed == reservations.size(),
        "committed " + committed + " = confirmed reservations " + reservations.size());
    outcome.check(
        reservedRows == reservations.size(),
        "one reservation per confirmed request (" + reservedRows + ")");
    outcome.operations = adjustments.size() + reservations.size();
    outcome.notes.add("requests failed during the fault and retried: " + failures.get());
    long dead = Suite.deadLettered() - deadBefore;
    outcome.check(dead == 0, "nothing dead-lettered (" + dead + ")");
    suite.checkStock(outcome);
    return outcome;
  }

  private static Http.Reply retry(
      Outcome outcome, AtomicLong failures, java.util.function.Supplier<Http.Reply> request) {
    Http.Reply reply = request.get();
    int attempt = 0;
    while ((reply.status() >= 500 || reply.status() < 0) && attempt++ < 120) {
      failures.incrementAndGet();
      Suite.sleep(500);
      reply = request.get();
    }
    if (attempt > 0 && reply.ok()) {
      synchronized (outcome) {
        outcome.recovered++;
      }
    }
    return reply;
  }

  private Http.Reply reserve(String sku, String location, String key) {
    return suite.api.send(
        "POST",
        "/api/v1/reservations",
        Map.of(
            "reference",
            "order:" + key,
            "expiresInSeconds",
            86_400,
            "lines",
            List.of(Map.of("sku", sku, "location", location, "quantity", 1))),
        key);
  }

  private Http.Reply adjust(String sku, String location, String reference) {
    return suite.api.send(
        "POST",
        "/api/v1/inventory/adjustments",
        Map.of(
            "reason",
            "found",
            "reference",
            reference,
            "lines",
            List.of(Map.of("sku", sku, "location", location, "state", "available", "delta", 1))),
        reference);
  }
}
