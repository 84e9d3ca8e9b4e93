package dev.onhand.fulfillment.order;

import static dev.onhand.fulfillment.support.Orders.awaitAvailable;
import static dev.onhand.fulfillment.support.Orders.awaitStatus;
import static dev.onhand.fulfillment.support.Orders.json;
import static dev.onhand.fulfillment.support.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onhand.fulfillment.support.Orders;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.StockService;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Units leave stock when shipped; cancelling gives back only what has not shipped. */
@QuarkusTest
class ShipmentAndCancellationTest {

  @Test
  void aPartialShipmentThenACancelShipsSomeAndReleasesTheRest() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 8);
    awaitAvailable(sku, location, 8);
    String channel = Orders.channel(true, location);
    Map<String, Object> placed = order(channel, sku, 5);
    String id = Orders.place(placed);
    awaitStatus(id, "ALLOCATED");
    StockService.awaitQuantity(sku, location, "committed", 5);

    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.fulfillment", "fulfillment.order.shipped")) {
      String shipmentId =
          json()
              .body(
                  Map.of(
                      "location",
                      location,
                      "carrier",
                      "DHL",
                      "trackingNumber",
                      "JD0001",
                      "lines",
                      List.of(Map.of("sku", sku, "quantity", 2))))
              .post("/api/v1/orders/{id}/shipments", id)
              .then()
              .statusCode(201)
              .body("status", equalTo("PARTIALLY_SHIPPED"))
              .body("lines[0].shipped", equalTo(2))
              .body("lines[0].allocated", equalTo(3))
              .body("shipments[0].trackingNumber", equalTo("JD0001"))
              .extract()
              .path("shipments[0].id");
      StockService.awaitQuantity(sku, location, "committed", 3);
      assertThat(StockService.quantity(sku, location, "available")).isEqualTo(3);

      json()
          .body(Map.of("reason", "customer changed their mind"))
          .post("/api/v1/orders/{id}/cancel", id)
          .then()
          .statusCode(200)
          .body("status", equalTo("SHIPPED"))
          .body("lines[0].shipped", equalTo(2))
          .body("lines[0].cancelled", equalTo(3))
          .body("lines[0].allocated", equalTo(0))
          .body("allocations[0].lines[0].released", equalTo(3));

      // returns hears what shipped, per order, once; the cancellation ships nothing
      Broker.Received shipped =
          tap.await(r -> r.data().path("orderId").asText().equals(id), Duration.ofSeconds(10));
      assertThat(shipped.envelope().path("subject").asText()).isEqualTo("order:" + id);
      assertThat(shipped.data().path("channel").asText()).isEqualTo(channel);
      assertThat(shipped.data().path("channelOrderId").asText())
          .isEqualTo(placed.get("channelOrderId"));
      assertThat(shipped.data().path("shipmentId").asText()).isEqualTo(shipmentId);
      assertThat(shipped.data().path("location").asText()).isEqualTo(location);
      assertThat(shipped.data().path("occurredAt").asText()).isNotEmpty();
      assertThat(shipped.data().path("lines").size()).isEqualTo(1);
      JsonNode line = shipped.data().path("lines").path(0);
      assertThat(line.path("sku").asText()).isEqualTo(sku);
      assertThat(line.path("quantity").asLong()).isEqualTo(2);
      assertThat(line.has("mispickedAs")).isFalse();
      assertThat(tap.drain(Duration.ofMillis(500)))
          .filteredOn(r -> r.data().path("orderId").asText().equals(id))
          .as("one fulfillment.order.shipped for one shipment")
          .isEmpty();
    }
    StockService.awaitQuantity(sku, location, "committed", 0);
    StockService.awaitQuantity(sku, location, "available", 6);
    // shipped units are gone: 8 arrived, 2 left
    assertThat(StockService.balance(sku, location).get("onHand")).isEqualTo(6);
    StockService.assertLedgerMatchesBalances(sku);
    json()
        .body(Map.of())
        .post("/api/v1/orders/{id}/cancel", id)
        .then()
        .statusCode(409)
        .body("code", equalTo("ORDER_CLOSED"));
  }

  @Test
  void cancellingSomeUnitsTakesBackorderedOnesFirstAndReleasesReservedOnesToWaitingOrders()
      throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 3);
    awaitAvailable(sku, location, 3);
    String channel = Orders.channel(true, location);
    String first = Orders.place(order(channel, sku, 5));
    awaitStatus(first, "PARTIALLY_ALLOCATED");
    String waiting = Orders.place(order(channel, sku, 1));
    awaitStatus(waiting, "BACKORDERED");

    // 3 units: the 2 backordered ones, then 1 reserved one, which the waiting order then gets
    json()
        .body(Map.of("lines", List.of(Map.of("sku", sku, "quantity", 3))))
        .post("/api/v1/orders/{id}/cancel", first)
        .then()
        .statusCode(200)
        .body("status", equalTo("ALLOCATED"))
        .body("lines[0].cancelled", equalTo(3))
        .body("lines[0].allocated", equalTo(2))
        .body("lines[0].backordered", equalTo(0));
    awaitStatus(waiting, "ALLOCATED");
    StockService.awaitQuantity(sku, location, "committed", 3);
    assertThat(StockService.quantity(sku, location, "available")).isZero();
    StockService.assertLedgerMatchesBalances(sku);

    // the whole order, everything not shipped
    json()
        .post("/api/v1/orders/{id}/cancel", first)
        .then()
        .statusCode(200)
        .body("status", equalTo("CANCELLED"));
    StockService.awaitQuantity(sku, location, "committed", 1);
    StockService.awaitQuantity(sku, location, "available", 2);
  }
}
