package dev.onhand.e2e.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * R3: {@code kill -9} of a service in the middle of a stream of receipts, twice: first stock (the
 * consumer, with movement requests unacked and receiving's outbox filling while it is down), then
 * receiving (the producer, with outbox rows not yet relayed and requests in flight). Both are
 * started again. A receipt whose request failed during the fault is retried with its
 * Idempotency-Key until answered. Afterwards every acknowledged receipt is in stock's ledger
 * exactly once (its movement id is the receipt id), and nothing else is.
 */
final class ServiceKilled implements Faults.Scenario {
  private static final int RECEIPTS =
      Integer.parseInt(System.getenv().getOrDefault("FAULTS_R3_RECEIPTS", "300"));
  private final Suite suite;

  ServiceKilled(Suite suite) {
    this.suite = suite;
  }

  @Override
  public Outcome run() throws Exception {
    String location = suite.location();
    String sku = suite.item();
    String number = Suite.unique("PO-R3");
    Map<String, Object> po =
        Map.of(
            "number",
            number,
            "supplier",
            "Acme",
            "location",
            location,
            "lines",
            List.of(Map.of("sku", sku, "quantity", RECEIPTS * 10)));
    Http.Reply created = null;
    for (int i = 0; i < 100 && (created == null || created.status() != 201); i++) {
      created = suite.api.send("POST", "/api/v1/purchase-orders", po, number);
      Suite.sleep(200);
    }
    Suite.require(created, 201);
    String poId = created.json().path("id").asText();

    Outcome outcome = new Outcome();
    List<String> receipts = new ArrayList<>();
    List<Integer> failed = new ArrayList<>();
    ExecutorService faults = Executors.newSingleThreadExecutor();
    Future<?> fault = null;
    for (int i = 0; i < RECEIPTS; i++) {
      if (i == RECEIPTS / 4) {
        fault =
            faults.submit(
                () -> {
                  suite.kill("stock");
                  Suite.sleep(3000);
                  suite.restart("stock");
                  return null;
                });
      }
      if (i == RECEIPTS * 2 / 3) {
        fault.get();
        fault =
            faults.submit(
                () -> {
                  suite.kill("receiving");
                  Suite.sleep(2000);
                  suite.restart("receiving");
                  return null;
                });
      }
      Http.Reply reply = receipt(poId, sku, i);
      outcome.operations++;
      if (reply.status() != 201) {
        failed.add(i);
      }
    }
    fault.get();
    faults.shutdown();
    // the requests that failed during the fault, again with their keys
    for (int i : failed) {
      Http.Reply reply = null;
      for (int attempt = 0; attempt < 60 && (reply == null || reply.status() != 201); attempt++) {
        reply = receipt(poId, sku, i);
        if (reply.status() != 201) {
          Suite.sleep(500);
        }
      }
      if (reply.status() == 201) {
        outcome.recovered++;
      } else {
        outcome.notes.add("receipt " + i + " never accepted: " + reply);
      }
    }

    suite.awaitOutboxesDrained(List.of("receiving"));
    // the receipts receiving holds (an answered request is one receipt, a retried one too)
    receipts.addAll(suite.receipts(poId));
    // every acknowledged receipt: exactly one unit in available, under its own movement id
    Suite.awaitTrue(
        () ->
            suite.scalar(
                    "stock",
                    "SELECT count(DISTINCT movement_id) FROM ledger WHERE sku = ? AND state ="
                        + " 'available'",
                    sku)
                >= receipts.size(),
        90,
        "stock applied every receipt");
    Suite.sleep(2000); // anything doubled would land now
    for (String receipt : receipts) {
      long units =
          suite.scalar(
              "stock",
              "SELECT coalesce(sum(delta), 0) FROM ledger WHERE movement_id = ?::uuid AND state ="
                  + " 'available'",
              receipt);
      if (units == 0) {
        outcome.lost++;
      } else if (units > 1) {
        outcome.duplicated++;
      }
    }
    long available =
        suite.scalar(
            "stock", "SELECT available FROM balance WHERE sku = ? AND location = ?", sku, location);
    outcome.unexpected += Math.max(0, available - receipts.size());
    outcome.check(receipts.size() == RECEIPTS, "every receipt acknowledged in the end");
    long received =
        suite.scalar(
            "receiving", "SELECT count(*) FROM receipt WHERE purchase_order_id = ?::uuid", poId);
    outcome.check(received == RECEIPTS, "receiving holds each receipt once (" + received + ")");
    suite.checkStock(outcome);
    outcome.notes.add("failed during the faults and retried: " + failed.size());
    return outcome;
  }

  private Http.Reply receipt(String poId, String sku, int i) {
    return suite.api.send(
        "POST",
        "/api/v1/purchase-orders/" + poId + "/receipts",
        Map.of("lines", List.of(Map.of("sku", sku, "good", 1))),
        "r3-" + poId + "-" + i);
  }
}
