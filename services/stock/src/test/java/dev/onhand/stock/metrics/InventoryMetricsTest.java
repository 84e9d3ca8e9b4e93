package dev.onhand.stock.metrics;

import static dev.onhand.stock.support.Api.json;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Messages;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The metrics of a seeded history equal their hand-computed values. */
@QuarkusTest
class InventoryMetricsTest {

  @Test
  void turnoverSellThroughAndWeeksOfSupplyOfASeededWeek() throws Exception {
    String location = Api.location();
    String other = Api.location();
    String sku = Api.item(); // unit cost 10
    Api.stock(sku, location, "available", 100);
    Api.stock(sku, location, "incoming", 20);
    String reservation =
        json()
            .body(Api.reservation("order:metrics", sku, location, 30, null))
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
                      "metrics-1",
                      "reservationId",
                      reservation,
                      "lines",
                      List.of(Map.of("sku", sku, "location", location, "quantity", 30))))),
          Map.of());
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Api.quantity(sku, location, "committed") == 0);

    // a period of exactly one week around the history
    OffsetDateTime now = OffsetDateTime.now();
    String from = now.minusHours(84).toString();
    String to = now.plusHours(84).toString();
    // by hand: opening 0, closing 70, incoming 20, shipped 30, received 100, unit cost 10
    // turnover = 30 × 10 / ((0 + 70) / 2 × 10) = 300 / 350; sell-through = 30 / (100 + 0);
    // weeks of supply = (70 + 20) / (30 / 1 week)
    json()
        .queryParam("sku", sku)
        .queryParam("location", location)
        .queryParam("from", from)
        .queryParam("to", to)
        .get("/api/v1/metrics/inventory")
        .then()
        .statusCode(200)
        .body("openingOnHand", equalTo(0))
        .body("closingOnHand", equalTo(70))
        .body("closingIncoming", equalTo(20))
        .body("unitsShipped", equalTo(30))
        .body("unitsReceived", equalTo(100))
        .body("costOfUnitsShipped", equalTo(300))
        .body("averageInventoryValue", equalTo(350))
        .body("inventoryTurnover", equalTo(0.8571f))
        .body("sellThroughRate", equalTo(0.3f))
        .body("weeksOfSupply", equalTo(3.0f));

    // a period that starts after the history: opening stock counts, nothing sold
    json()
        .queryParam("sku", sku)
        .queryParam("from", now.plusHours(1).toString())
        .queryParam("to", now.plusHours(2).toString())
        .get("/api/v1/metrics/inventory")
        .then()
        .statusCode(200)
        .body("openingOnHand", equalTo(70))
        .body("unitsShipped", equalTo(0))
        .body("inventoryTurnover", equalTo(0.0f))
        .body("sellThroughRate", equalTo(0.0f))
        .body("weeksOfSupply", nullValue());
    // another location saw none of it
    json()
        .queryParam("sku", sku)
        .queryParam("location", other)
        .queryParam("from", from)
        .queryParam("to", to)
        .get("/api/v1/metrics/inventory")
        .then()
        .statusCode(200)
        .body("closingOnHand", equalTo(0))
        .body("inventoryTurnover", nullValue());
    // (REST Assured reads JSON decimals as floats; the service rounds ratios to 4 decimals)
    // bad periods and unknown items
    json()
        .queryParam("sku", sku)
        .queryParam("from", to)
        .queryParam("to", from)
        .get("/api/v1/metrics/inventory")
        .then()
        .statusCode(400)
        .body("errors[0].code", equalTo("BEFORE_FROM"));
    json()
        .queryParam("sku", "NO-SUCH-" + sku)
        .queryParam("from", from)
        .queryParam("to", to)
        .get("/api/v1/metrics/inventory")
        .then()
        .statusCode(404);
    json().queryParam("sku", sku).get("/api/v1/metrics/inventory").then().statusCode(400);
  }

  @Test
  void fillRateAndRecordAccuracyOfASeededPeriod() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 10);
    OffsetDateTime start = OffsetDateTime.now().minusMinutes(1);
    // fulfillment's first allocations: 3 lines sent to the location, 2 filled; 1 backordered whole
    List<String> ids = new ArrayList<>();
    try (Broker broker = new Broker()) {
      ids.add(allocated(broker, sku, location, true));
      ids.add(allocated(broker, sku, location, true));
      ids.add(allocated(broker, sku, location, false));
      ids.add(allocated(broker, sku, null, false));
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                ids.stream()
                    .allMatch(
                        id ->
                            Db.scalar("SELECT count(*) FROM inbox WHERE message_id = ?", id) > 0));
    // two counts: one right (10 counted), one a unit short beyond tolerance, approved
    count(location, sku, 10, false);
    count(location, sku, 9, true);

    OffsetDateTime end = OffsetDateTime.now().plusMinutes(1);
    // by hand: everywhere 2 of 4 lines filled = 0.5; at the location 2 of 3 = 0.6667;
    // accuracy 1 of 2 counted lines within tolerance = 0.5
    json()
        .queryParam("sku", sku)
        .queryParam("from", start.toString())
        .queryParam("to", end.toString())
        .get("/api/v1/metrics/inventory")
        .then()
        .statusCode(200)
        .body("orderLines", equalTo(4))
        .body("orderLinesFilled", equalTo(2))
        .body("fillRate", equalTo(0.5f))
        .body("countedLines", equalTo(2))
        .body("countedLinesWithinTolerance", equalTo(1))
        .body("recordAccuracy", equalTo(0.5f));
    json()
        .queryParam("sku", sku)
        .queryParam("location", location)
        .queryParam("from", start.toString())
        .queryParam("to", end.toString())
        .get("/api/v1/metrics/inventory")
        .then()
        .statusCode(200)
        .body("orderLines", equalTo(3))
        .body("fillRate", equalTo(0.6667f))
        .body("recordAccuracy", equalTo(0.5f))
        .body("closingOnHand", equalTo(9));
    // a period before any of it: no lines, no ratio
    json()
        .queryParam("sku", sku)
        .queryParam("from", start.minusDays(2).toString())
        .queryParam("to", start.minusDays(1).toString())
        .get("/api/v1/metrics/inventory")
        .then()
        .statusCode(200)
        .body("orderLines", equalTo(0))
        .body("fillRate", nullValue())
        .body("recordAccuracy", nullValue());
  }

  /** Announces one order's first allocation of one line, as fulfillment does; returns its id. */
  private static String allocated(Broker broker, String sku, String location, boolean filled)
      throws Exception {
    String orderId = UUID.randomUUID().toString();
    Map<String, Object> line = new HashMap<>();
    line.put("sku", sku);
    line.put("quantity", 1);
    line.put("location", location);
    line.put("filledAtFirstAllocation", filled);
    Map<String, Object> envelope =
        Messages.envelope(
            "fulfillment.order.allocated",
            "onhand/fulfillment",
            Map.of(
                "orderId", orderId,
                "channel", "web",
                "channelOrderId", Api.unique("CO"),
                "allocatedAt", OffsetDateTime.now().toString(),
                "lines", List.of(line)));
    envelope.put("subject", "order:" + orderId);
    broker.publish(
        "onhand.fulfillment", "fulfillment.order.allocated", Broker.json(envelope), Map.of());
    return (String) envelope.get("id");
  }

  private static void count(String location, String sku, long counted, boolean approve) {
    String id =
        json()
            .body(Map.of("location", location, "skus", List.of(sku)))
            .post("/api/v1/counts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    json()
        .body(Map.of("lines", List.of(Map.of("sku", sku, "counted", counted))))
        .post("/api/v1/counts/{id}/results", id)
        .then()
        .statusCode(200);
    if (approve) {
      json().body(Map.of()).post("/api/v1/counts/{id}/approve", id).then().statusCode(200);
    }
  }
}
