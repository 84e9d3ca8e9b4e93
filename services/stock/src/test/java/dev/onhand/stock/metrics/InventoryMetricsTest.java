package dev.onhand.stock.metrics;

import static dev.onhand.stock.support.Api.json;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Messages;
import dev.onhand.stock.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
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
}
