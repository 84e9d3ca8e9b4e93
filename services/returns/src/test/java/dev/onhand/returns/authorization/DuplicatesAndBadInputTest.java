package dev.onhand.returns.authorization;

import static dev.onhand.platform.testing.StockService.awaitQuantity;
import static dev.onhand.returns.support.Returns.json;
import static dev.onhand.returns.support.Returns.line;
import static dev.onhand.returns.support.Returns.receipt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.StockService;
import dev.onhand.returns.support.Returns;
import dev.onhand.returns.support.Shipments;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A return counts once however often it is sent; bad input moves nothing. */
@QuarkusTest
class DuplicatesAndBadInputTest {

  @Test
  void aReceiptPostedTwiceAndAShipmentAnnouncedTwiceCountOnce() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    Shipments.Shipped order = Shipments.ship(location, sku, 3);
    try (Broker broker = new Broker()) {
      broker.publish("onhand.fulfillment", "fulfillment.order.shipped", order.raw(), Map.of());
      var resent =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              new com.fasterxml.jackson.databind.ObjectMapper().readTree(order.raw());
      resent.put("id", UUID.randomUUID().toString());
      broker.publish(
          "onhand.fulfillment", "fulfillment.order.shipped", resent.toString(), Map.of());
    }
    // the announcements are consumed in order: a later one settles after the duplicates
    Shipments.ship(location, sku, 1);
    assertThat(
            Jdbc.ofApplication()
                .scalar(
                    "SELECT quantity FROM shipped_line WHERE order_id = ?::uuid", order.orderId()))
        .isEqualTo(3);

    String rma = Returns.authorize(Returns.authorization(order.orderId(), sku, 3));
    String key = UUID.randomUUID().toString();
    for (int i = 0; i < 2; i++) {
      json()
          .header("Idempotency-Key", key)
          .body(receipt(location, line(sku, 2, "SELLABLE")))
          .post("/api/v1/returns/{id}/receipts", rma)
          .then()
          .statusCode(201)
          .body("lines[0].received", equalTo(2));
    }
    awaitQuantity(sku, location, "available", 2);
    json().get("/api/v1/returns/{id}", rma).then().body("lines[0].received", equalTo(2));
  }

  @Test
  void refusedRequestsAnswerProblemsAndMoveNothing() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    Shipments.Shipped order = Shipments.ship(location, sku, 3);
    String rma = Returns.authorize(Returns.authorization(order.orderId(), sku, 2));
    String receipts = "/api/v1/returns/" + rma + "/receipts";

    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.returns", "returns.#")) {
      refused(
          Returns.authorization(UUID.randomUUID().toString(), sku, 1),
          "/api/v1/returns",
          422,
          "ORDER_NOT_SHIPPED");
      refused(
          Map.of("lines", List.of(Map.of("sku", sku, "quantity", 1))),
          "/api/v1/returns",
          400,
          "VALIDATION_FAILED");
      refused(
          Returns.authorization(order.orderId(), sku, 0),
          "/api/v1/returns",
          400,
          "VALIDATION_FAILED");
      refused(
          Returns.authorization(order.orderId(), sku, 1, sku, 1),
          "/api/v1/returns",
          400,
          "VALIDATION_FAILED");
      refused(receipt(location, line(sku, -1, "SELLABLE")), receipts, 400, "VALIDATION_FAILED");
      refused(
          receipt(location, Map.of("sku", sku, "quantity", 1, "condition", "SOGGY")),
          receipts,
          400,
          null);
      refused(
          receipt(location, line(sku, 1, "SELLABLE"), line(sku, 1, "SELLABLE")),
          receipts,
          400,
          "VALIDATION_FAILED");
      refused(
          receipt("NOWHERE-" + location, line(sku, 1, "SELLABLE")),
          receipts,
          422,
          "UNKNOWN_LOCATION");
      refused(
          receipt(location, line("NO-SUCH-" + sku, 1, "SELLABLE")), receipts, 422, "UNKNOWN_SKU");
      refused(
          receipt(location, line(sku, 1, "SELLABLE")),
          "/api/v1/returns/" + UUID.randomUUID() + "/receipts",
          404,
          "RETURN_NOT_FOUND");
      refused(
          receipt(location, line(sku, 1, "SELLABLE")),
          "/api/v1/returns/R-1/receipts",
          400,
          "VALIDATION_FAILED");
      refused(
          Map.of(
              "location",
              location,
              "lines",
              List.of(Map.of("sku", sku, "quantity", 1, "outcome", "RESTOCK"))),
          "/api/v1/returns/" + rma + "/inspections",
          422,
          "EXCEEDS_AWAITING");
      json()
          .body("{\"lines\": ")
          .post("/api/v1/returns")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
      assertThat(tap.drain(Duration.ofMillis(500)))
          .filteredOn(r -> r.raw().contains(sku))
          .as("no refused request sent anything to stock")
          .isEmpty();
    }
    assertThat(StockService.balance(sku, location)).as("nothing moved at %s", location).isEmpty();
    json()
        .get("/api/v1/returns/{id}", rma)
        .then()
        .body("status", equalTo("AUTHORIZED"))
        .body("lines[0].received", equalTo(0));
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
