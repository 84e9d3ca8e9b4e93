package dev.onhand.fulfillment.order;

import static dev.onhand.fulfillment.support.Orders.awaitAvailable;
import static dev.onhand.fulfillment.support.Orders.awaitStatus;
import static dev.onhand.fulfillment.support.Orders.json;
import static dev.onhand.fulfillment.support.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.onhand.fulfillment.support.Orders;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.StockService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Refused requests answer problem+json with a stable code and reserve nothing. */
@QuarkusTest
class BadInputTest {

  @Test
  void refusedRequestsAnswerProblemsAndReserveNothing() throws Exception {
    String location = StockService.location();
    String other = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 10);
    awaitAvailable(sku, location, 10);
    String channel = Orders.channel(true, location);
    String id = Orders.place(order(channel, sku, 2));
    awaitStatus(id, "ALLOCATED");
    StockService.awaitQuantity(sku, location, "committed", 2);

    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.fulfillment", "fulfillment.#")) {
      refused(order(channel, "NO-SUCH-" + sku, 1), "/api/v1/orders", 422, "UNKNOWN_SKU")
          .body("errors.field", hasItem("lines[0].sku"));
      refused(order(channel, sku, 0), "/api/v1/orders", 400, "VALIDATION_FAILED")
          .body("errors.field", hasItem("lines[0].quantity"));
      refused(order(channel, sku, -3), "/api/v1/orders", 400, "VALIDATION_FAILED");
      refused(order(channel, sku, 1, sku, 2), "/api/v1/orders", 400, "VALIDATION_FAILED")
          .body("errors[0].code", equalTo("DUPLICATE_SKU"));
      refused(order(channel), "/api/v1/orders", 400, "VALIDATION_FAILED");
      Map<String, Object> noChannel = new HashMap<>(order(channel, sku, 1));
      noChannel.remove("channel");
      refused(noChannel, "/api/v1/orders", 400, "VALIDATION_FAILED");
      Map<String, Object> quantityAsText = new HashMap<>(order(channel, sku, 1));
      quantityAsText.put("lines", List.of(Map.of("sku", sku, "quantity", "1")));
      refused(quantityAsText, "/api/v1/orders", 400, null);
      json()
          .body("{\"channel\": ")
          .post("/api/v1/orders")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");

      String shipments = "/api/v1/orders/" + id + "/shipments";
      refused(shipment(location, sku, 3), shipments, 422, "EXCEEDS_ALLOCATED");
      refused(shipment(other, sku, 1), shipments, 422, "EXCEEDS_ALLOCATED");
      refused(shipment(location, "OTHER-" + sku, 1), shipments, 422, "EXCEEDS_ALLOCATED");
      refused(
          shipment(location, sku, 1),
          "/api/v1/orders/" + UUID.randomUUID() + "/shipments",
          404,
          "ORDER_NOT_FOUND");
      refused(
          shipment(location, sku, 1),
          "/api/v1/orders/not-an-id/shipments",
          400,
          "VALIDATION_FAILED");
      String cancel = "/api/v1/orders/" + id + "/cancel";
      refused(
          Map.of("lines", List.of(Map.of("sku", sku, "quantity", 3))), cancel, 422, "EXCEEDS_OPEN");
      refused(
          Map.of("lines", List.of(Map.of("sku", "OTHER-" + sku, "quantity", 1))),
          cancel,
          422,
          "EXCEEDS_OPEN");
      json()
          .get("/api/v1/orders/{id}", UUID.randomUUID())
          .then()
          .statusCode(404)
          .body("code", equalTo("ORDER_NOT_FOUND"));

      assertThat(tap.drain(Duration.ofMillis(500)))
          .as("no refused request asked stock for anything")
          .filteredOn(r -> r.raw().contains(sku))
          .isEmpty();
    }
    StockService.awaitQuantity(sku, location, "committed", 2);
    assertThat(StockService.quantity(sku, location, "available")).isEqualTo(8);
    json()
        .get("/api/v1/orders/{id}", id)
        .then()
        .body("status", equalTo("ALLOCATED"))
        .body("lines[0].allocated", equalTo(2))
        .body("shipments.size()", equalTo(0));
    StockService.assertLedgerMatchesBalances(sku);
  }

  private static Map<String, Object> shipment(String location, String sku, long quantity) {
    return Map.of("location", location, "lines", List.of(Map.of("sku", sku, "quantity", quantity)));
  }

  private static ValidatableResponse refused(Object body, String path, int status, String code) {
    ValidatableResponse response =
        json()
            .body(body)
            .post(path)
            .then()
            .statusCode(status)
            .contentType("application/problem+json")
            .body("status", equalTo(status));
    return code == null ? response : response.body("code", equalTo(code));
  }
}
