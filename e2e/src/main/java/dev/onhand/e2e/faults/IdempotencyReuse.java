package dev.onhand.e2e.faults;

import java.util.List;
import java.util.Map;

/**
 * S4: an Idempotency-Key reused with another body is refused with 422 and applies nothing; reused
 * with the same body it replays the first answer and applies nothing either.
 */
final class IdempotencyReuse implements Faults.Scenario {
  private static final int KEYS = 50;
  private final Suite suite;

  IdempotencyReuse(Suite suite) {
    this.suite = suite;
  }

  @Override
  public Outcome run() {
    String location = suite.location();
    String sku = suite.item();
    String run = Suite.unique("s4");
    Outcome outcome = new Outcome();
    for (int i = 0; i < KEYS; i++) {
      String key = run + "-" + i;
      String reference = run + ":" + i;
      outcome.operations++;
      Http.Reply first =
          suite.api.send(
              "POST",
              "/api/v1/inventory/adjustments",
              adjustment(sku, location, reference, 1),
              key);
      Http.Reply other =
          suite.api.send(
              "POST",
              "/api/v1/inventory/adjustments",
              adjustment(sku, location, reference, 2),
              key);
      Http.Reply again =
          suite.api.send(
              "POST",
              "/api/v1/inventory/adjustments",
              adjustment(sku, location, reference, 1),
              key);
      if (first.status() != 201) {
        outcome.lost++;
      }
      if (other.status() != 422
          || !other.json().path("code").asText().equals("IDEMPOTENCY_KEY_REUSED")) {
        outcome.unexpected++;
        outcome.notes.add(
            "another body with key "
                + key
                + " → "
                + other.status()
                + " "
                + other.json().path("code").asText());
      }
      if (again.status() != 201 || !again.body().equals(first.body())) {
        outcome.unexpected++;
      }
      long entries =
          suite.scalar("stock", "SELECT count(*) FROM ledger WHERE reference = ?", reference);
      if (entries > 1) {
        outcome.duplicated++;
      }
    }
    long available =
        suite.scalar(
            "stock", "SELECT available FROM balance WHERE sku = ? AND location = ?", sku, location);
    outcome.check(available == KEYS, "available = one unit per key (" + available + ")");
    suite.checkStock(outcome);
    return outcome;
  }

  private static Map<String, Object> adjustment(
      String sku, String location, String reference, int delta) {
    return Map.of(
        "reason",
        "found",
        "reference",
        reference,
        "lines",
        List.of(Map.of("sku", sku, "location", location, "state", "available", "delta", delta)));
  }
}
