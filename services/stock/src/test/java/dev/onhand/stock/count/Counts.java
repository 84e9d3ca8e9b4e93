package dev.onhand.stock.count;

import static dev.onhand.stock.support.Api.json;
import static org.awaitility.Awaitility.await;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Messages;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the count tests set up: items at a cost, counts, and units sold through the real flow. */
final class Counts {
  private Counts() {}

  static String item(int unitCost) {
    String sku = Api.unique("SKU");
    json()
        .body(Map.of("name", "Item " + sku, "unitCost", unitCost))
        .put("/api/v1/items/{sku}", sku)
        .then()
        .statusCode(201);
    return sku;
  }

  static ValidatableResponse start(Map<String, Object> body) {
    return json().body(body).post("/api/v1/counts").then();
  }

  /** Starts a count of these SKUs at a location and returns its id. */
  static String start(String location, Map<String, Object> options, String... skus) {
    Map<String, Object> body = new HashMap<>(options);
    body.put("location", location);
    body.put("skus", List.of(skus));
    return start(body).statusCode(201).extract().path("id");
  }

  static Map<String, Object> line(String sku, long counted) {
    return Map.of("sku", sku, "counted", counted);
  }

  static Map<String, Object> line(String sku, long counted, String countedAt) {
    return Map.of("sku", sku, "counted", counted, "countedAt", countedAt);
  }

  @SafeVarargs
  static ValidatableResponse results(String id, Map<String, Object>... lines) {
    return json()
        .body(Map.of("lines", List.of(lines)))
        .post("/api/v1/counts/{id}/results", id)
        .then();
  }

  static ValidatableResponse get(String id) {
    return json().get("/api/v1/counts/{id}", id).then();
  }

  static long cycleCountEntries(String sku) {
    return Db.scalar("SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'cycle_count'", sku);
  }

  /**
   * Sells units the way orders do: a reservation moves them to committed, a shipment message takes
   * them out (reason shipped). {@code quantities} maps SKU → units, all at {@code location}.
   */
  static void sell(String location, Map<String, Long> quantities) throws Exception {
    List<Map<String, Object>> lines = new ArrayList<>();
    quantities.forEach(
        (sku, quantity) -> {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("sku", sku);
          line.put("location", location);
          line.put("quantity", quantity);
          lines.add(line);
        });
    Map<String, Long> committedBefore = new HashMap<>();
    quantities
        .keySet()
        .forEach(sku -> committedBefore.put(sku, Api.quantity(sku, location, "committed")));
    String reservation =
        json()
            .body(Map.of("reference", "order:" + UUID.randomUUID(), "lines", lines))
            .post("/api/v1/reservations")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    try (Broker broker = new Broker()) {
      broker.publish(
          "onhand.fulfillment",
          "fulfillment.shipment.recorded",
          Broker.json(
              Messages.envelope(
                  "fulfillment.shipment.recorded",
                  "onhand/fulfillment",
                  Map.of(
                      "shipmentId",
                      "count-test-" + UUID.randomUUID(),
                      "reservationId",
                      reservation,
                      "lines",
                      lines))),
          Map.of());
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                quantities.keySet().stream()
                    .allMatch(
                        sku ->
                            Api.quantity(sku, location, "committed") == committedBefore.get(sku)));
  }
}
