package dev.onhand.e2e.faults;

import java.util.List;
import java.util.Map;

/**
 * S2: no key, a wrong key and a key without the route's scope: 401 / 403 problem+json every time,
 * and nothing forwarded upstream (the gateway's forwarded counter does not move; its refused
 * counter counts each one). The read-only key comes from scripts/faults.sh, as keys come from a
 * Secret in production.
 */
final class AccessRefused implements Faults.Scenario {
  static final String READER_KEY = "faults-reader-key";
  private static final int EACH = 200;
  private final Suite suite;

  AccessRefused(Suite suite) {
    this.suite = suite;
  }

  @Override
  public Outcome run() {
    Outcome outcome = new Outcome();
    Http reader = new Http(suite.gateway(), READER_KEY);
    String location = suite.location();
    String sku = suite.item();
    outcome.check(
        reader.send("GET", "/api/v1/inventory/" + sku, null).status() == 200,
        "the read-only key reads");
    double forwardedBefore = forwarded();
    Map<String, Object> adjustment =
        Map.of(
            "reason",
            "found",
            "lines",
            List.of(Map.of("sku", sku, "location", location, "state", "available", "delta", 1)));
    for (int i = 0; i < EACH; i++) {
      expect(
          outcome, suite.anonymous.send("POST", "/api/v1/inventory/adjustments", adjustment), 401);
      expect(
          outcome, suite.wrongKey.send("POST", "/api/v1/inventory/adjustments", adjustment), 401);
      expect(outcome, reader.send("POST", "/api/v1/inventory/adjustments", adjustment), 403);
      expect(outcome, reader.send("POST", "/api/v1/orders", Map.of()), 403);
    }
    double forwarded = forwarded() - forwardedBefore;
    outcome.check(forwarded == 0, "nothing forwarded upstream (" + forwarded + ")");
    outcome.check(
        suite.scalar("stock", "SELECT available FROM balance WHERE sku = ?", sku) == 0,
        "nothing adjusted");
    return outcome;
  }

  private static void expect(Outcome outcome, Http.Reply reply, int status) {
    outcome.operations++;
    if (reply.status() != status || !reply.contentType().startsWith("application/problem+json")) {
      outcome.unexpected++;
    }
  }

  private double forwarded() {
    return Metrics.sum(
        new Http(suite.gateway(), null).send("GET", "/q/metrics", null).body(),
        "onhand_gateway_forwarded_total",
        null);
  }
}
