package dev.onhand.e2e.faults;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * R1: {@code kill -9} of RabbitMQ during a steady stream of receipts, orders and returns, then a
 * restart. The services keep taking requests (their messages wait in the outbox), reconnect by
 * themselves, and after draining every acknowledged receipt, order and return has been applied by
 * stock exactly once.
 */
final class BrokerKilled implements Faults.Scenario {
  private static final List<String> SERVICES =
      List.of("stock", "receiving", "fulfillment", "returns");
  private final Suite suite;

  BrokerKilled(Suite suite) {
    this.suite = suite;
  }

  @Override
  public Outcome run() throws Exception {
    Outcome outcome = new Outcome();
    String location = suite.location();
    String received = suite.item();
    String sold = suite.item();
    String returned = suite.item();
    suite.adjust(sold, location, 100_000);
    String number = Suite.unique("PO-R1");
    Http.Reply po = null;
    for (int i = 0; i < 100 && (po == null || po.status() != 201); i++) {
      po =
          suite.api.send(
              "POST",
              "/api/v1/purchase-orders",
              Map.of(
                  "number",
                  number,
                  "supplier",
                  "Acme",
                  "location",
                  location,
                  "lines",
                  List.of(Map.of("sku", received, "quantity", 100_000))),
              number);
      Suite.sleep(200);
    }
    Suite.require(po, 201);
    String poId = po.json().path("id").asText();
    // returns must know the SKU too
    Suite.awaitTrue(
        () -> unexpectedReturn(location, returned, "probe-" + number).status() == 201,
        30,
        "returns knows the SKU");

    Set<String> receipts = ConcurrentHashMap.newKeySet();
    Set<String> orders = ConcurrentHashMap.newKeySet();
    AtomicLong returns = new AtomicLong(1); // the probe
    AtomicLong failures = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService load = Executors.newFixedThreadPool(3);
    List<Future<?>> streams =
        List.of(
            load.submit(
                () ->
                    stream(
                        running,
                        failures,
                        outcome,
                        i -> receipt(poId, received, i),
                        r -> {}, // the answer is the purchase order; receipts are read below
                        "r1-receipt-" + poId)),
            load.submit(
                () ->
                    stream(
                        running,
                        failures,
                        outcome,
                        i -> order(number, sold, i),
                        r -> orders.add(r.json().path("id").asText()),
                        "r1-order")),
            load.submit(
                () ->
                    stream(
                        running,
                        failures,
                        outcome,
                        i -> unexpectedReturn(location, returned, number + "-" + i),
                        r -> returns.incrementAndGet(),
                        "r1-return")));
    long deadBefore = Suite.deadLettered();
    Suite.sleep(6000);
    Suite.killRabbitMq();
    outcome.notes.add("RabbitMQ killed");
    Suite.sleep(6000);
    Suite.restartInfra();
    outcome.notes.add("RabbitMQ restarted");
    Suite.sleep(6000);
    running.set(false);
    for (Future<?> stream : streams) {
      stream.get();
    }
    load.shutdown();

    suite.awaitHealthy(SERVICES, 120);
    suite.awaitOutboxesDrained(SERVICES);
    receipts.addAll(suite.receipts(poId));
    // receipts: one unit each under the receipt's movement id
    Suite.awaitTrue(
        () ->
            suite.scalar(
                    "stock",
                    "SELECT available FROM balance WHERE sku = ? AND location = ?",
                    received,
                    location)
                >= receipts.size(),
        120,
        "stock applied the receipts");
    // every receipt's unit, under its own movement id; what is still missing is waited for
    java.util.Set<String> missing = new java.util.HashSet<>(receipts);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      for (String receipt : List.copyOf(missing)) {
        long units = units(receipt);
        if (units > 0) {
          missing.remove(receipt);
          if (units > 1) {
            outcome.duplicated++;
          }
        }
      }
      if (!missing.isEmpty()) {
        Suite.sleep(500);
      }
    }
    outcome.lost += missing.size();
    if (!missing.isEmpty()) {
      outcome.notes.add("receipts never applied by stock: " + missing);
    }
    // orders: each one unit committed; none left waiting
    try {
      Suite.awaitTrue(
          () ->
              suite.scalar(
                      "fulfillment",
                      "SELECT count(*) FROM customer_order WHERE status = 'RECEIVED'")
                  == 0,
          120,
          "every order allocated");
    } catch (IllegalStateException e) {
      outcome.lost +=
          suite.scalar(
              "fulfillment", "SELECT count(*) FROM customer_order WHERE status = 'RECEIVED'");
    }
    long committed =
        suite.scalar(
            "stock",
            "SELECT committed FROM balance WHERE sku = ? AND location = ?",
            sold,
            location);
    compare(outcome, "orders committed", orders.size(), committed);
    // unexpected returns: one unit each back in available
    long back =
        suite.scalar(
            "stock",
            "SELECT available FROM balance WHERE sku = ? AND location = ?",
            returned,
            location);
    compare(outcome, "returned units", returns.get(), back);
    outcome.operations = receipts.size() + orders.size() + returns.get();
    outcome.notes.add("requests refused during the fault and retried: " + failures.get());
    long dead = Suite.deadLettered() - deadBefore;
    outcome.check(dead == 0, "nothing dead-lettered (" + dead + ")");
    suite.checkStock(outcome);
    return outcome;
  }

  private long units(String receipt) {
    return suite.scalar(
        "stock",
        "SELECT coalesce(sum(delta), 0) FROM ledger WHERE movement_id = ?::uuid AND state ="
            + " 'available'",
        receipt);
  }

  private static void compare(Outcome outcome, String what, long expected, long actual) {
    if (actual < expected) {
      outcome.lost += expected - actual;
    } else if (actual > expected) {
      outcome.duplicated += actual - expected;
    }
    outcome.check(actual == expected, what + " " + actual + " = " + expected);
  }

  /** Sends requests one after another until stopped; a failed one is retried with its key. */
  private static void stream(
      AtomicBoolean running,
      AtomicLong failures,
      Outcome outcome,
      java.util.function.IntFunction<Http.Reply> request,
      java.util.function.Consumer<Http.Reply> accepted,
      String name) {
    for (int i = 0; running.get(); i++) {
      Http.Reply reply = request.apply(i);
      int attempt = 0;
      while (!reply.ok() && attempt++ < 120) {
        failures.incrementAndGet();
        Suite.sleep(500);
        reply = request.apply(i);
      }
      if (reply.ok()) {
        if (attempt > 0) {
          synchronized (outcome) {
            outcome.recovered++;
          }
        }
        accepted.accept(reply);
      } else {
        synchronized (outcome) {
          outcome.notes.add(name + " " + i + " never accepted: " + reply.status());
        }
      }
      Suite.sleep(20);
    }
  }

  private Http.Reply receipt(String poId, String sku, int i) {
    return suite.api.send(
        "POST",
        "/api/v1/purchase-orders/" + poId + "/receipts",
        Map.of("lines", List.of(Map.of("sku", sku, "good", 1))),
        "r1-" + poId + "-" + i);
  }

  private Http.Reply order(String run, String sku, int i) {
    return suite.api.send(
        "POST",
        "/api/v1/orders",
        Map.of(
            "channel",
            "web",
            "channelOrderId",
            run + "-" + i,
            "lines",
            List.of(Map.of("sku", sku, "quantity", 1))),
        "r1-order-" + run + "-" + i);
  }

  private Http.Reply unexpectedReturn(String location, String sku, String key) {
    return suite.api.send(
        "POST",
        "/api/v1/returns/unexpected",
        Map.of(
            "location",
            location,
            "lines",
            List.of(Map.of("sku", sku, "quantity", 1, "condition", "SELLABLE"))),
        "r1-return-" + key);
  }
}
