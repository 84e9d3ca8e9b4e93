package dev.onhand.receiving.purchaseorder;

import static dev.onhand.platform.testing.StockService.awaitQuantity;
import static dev.onhand.receiving.support.Receiving.json;
import static dev.onhand.receiving.support.Receiving.line;
import static dev.onhand.receiving.support.Receiving.order;
import static dev.onhand.receiving.support.Receiving.receipt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.StockService;
import dev.onhand.receiving.support.Receiving;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Refused requests answer problem+json with a stable code and move nothing. */
@QuarkusTest
class BadInputTest {

  @Test
  void refusedRequestsAnswerProblemsAndMoveNothing() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    String number = StockService.unique("PO");
    String po = Receiving.create(order(number, location, sku, 10));
    String closedNumber = StockService.unique("PO");
    String closed = Receiving.create(order(closedNumber, location, sku, 3));
    json().post("/api/v1/purchase-orders/{id}/close", closed).then().statusCode(200);
    awaitQuantity(sku, location, "incoming", 10);

    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.receiving", "receiving.#")) {
      // a receipt for a PO that does not exist, or not even an id
      refused(
          receipt(line(sku, 1, 0)),
          "/api/v1/purchase-orders/" + UUID.randomUUID() + "/receipts",
          404,
          "PURCHASE_ORDER_NOT_FOUND");
      refused(
          receipt(line(sku, 1, 0)),
          "/api/v1/purchase-orders/PO-1/receipts",
          400,
          "VALIDATION_FAILED");
      // negative, missing and zero quantities
      refused(receipt(line(sku, -1, 0)), receipts(po), 400, "VALIDATION_FAILED")
          .body("errors.field", hasItem("lines[0].good"));
      refused(receipt(line(sku, 0, -2)), receipts(po), 400, "VALIDATION_FAILED");
      refused(receipt(line(sku, 0, 0)), receipts(po), 400, "VALIDATION_FAILED")
          .body("errors[0].code", equalTo("NO_UNITS"));
      refused(receipt(line(sku, 1, 0), line(sku, 2, 0)), receipts(po), 400, "VALIDATION_FAILED")
          .body("errors[0].code", equalTo("DUPLICATE_SKU"));
      refused(Map.of("lines", List.of()), receipts(po), 400, "VALIDATION_FAILED");
      // a SKU stock does not know cannot arrive
      refused(receipt(line("NO-SUCH-" + sku, 1, 0)), receipts(po), 422, "UNKNOWN_SKU");
      // a closed PO takes nothing more, and cannot be closed or cancelled again
      refused(receipt(line(sku, 1, 0)), receipts(closed), 409, "PURCHASE_ORDER_CLOSED")
          .body("purchaseOrderStatus", equalTo("CLOSED"));
      refused(
          Map.of(), "/api/v1/purchase-orders/" + closed + "/close", 409, "PURCHASE_ORDER_CLOSED");
      refused(
          Map.of(), "/api/v1/purchase-orders/" + closed + "/cancel", 409, "PURCHASE_ORDER_CLOSED");
      // purchase orders for a location or SKU that does not exist, or with bad lines
      refused(
              order(StockService.unique("PO"), "NOWHERE-" + location, sku, 5),
              "/api/v1/purchase-orders",
              422,
              "UNKNOWN_LOCATION")
          .body("errors.field", hasItem("location"));
      refused(
              order(StockService.unique("PO"), location, "NO-SUCH-" + sku, 5),
              "/api/v1/purchase-orders",
              422,
              "UNKNOWN_SKU")
          .body("errors.field", hasItem("lines[0].sku"));
      refused(
              order(StockService.unique("PO"), location, sku, -5),
              "/api/v1/purchase-orders",
              400,
              "VALIDATION_FAILED")
          .body("errors.field", hasItem("lines[0].quantity"));
      refused(
          order(StockService.unique("PO"), location, sku, 0),
          "/api/v1/purchase-orders",
          400,
          "VALIDATION_FAILED");
      refused(
          order(StockService.unique("PO"), location, sku, 1, sku, 2),
          "/api/v1/purchase-orders",
          400,
          "VALIDATION_FAILED");
      refused(
          order("bad number!", location, sku, 1),
          "/api/v1/purchase-orders",
          400,
          "VALIDATION_FAILED");
      refused(
          order(number, location, sku, 5), "/api/v1/purchase-orders", 409, "PURCHASE_ORDER_EXISTS");
      Map<String, Object> tolerance =
          new HashMap<>(order(StockService.unique("PO"), location, sku, 5));
      tolerance.put("tolerancePercent", 101);
      refused(tolerance, "/api/v1/purchase-orders", 400, "VALIDATION_FAILED");
      Map<String, Object> unknownField =
          new HashMap<>(order(StockService.unique("PO"), location, sku, 5));
      unknownField.put("quantity", 5);
      refused(unknownField, "/api/v1/purchase-orders", 400, null);
      json()
          .body("{\"number\": ")
          .post("/api/v1/purchase-orders")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
      // a ship notice may only name what was ordered
      refused(
          Map.of("carrier", "UPS", "lines", List.of(Map.of("sku", "OTHER-" + sku, "quantity", 1))),
          "/api/v1/purchase-orders/" + po + "/ship-notices",
          422,
          "SKU_NOT_ORDERED");
      // list filters that mean nothing
      json()
          .queryParam("status", "LOST")
          .get("/api/v1/purchase-orders")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("code", equalTo("VALIDATION_FAILED"));
      json()
          .queryParam("expectedBefore", "tomorrow")
          .get("/api/v1/purchase-orders")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
      json()
          .queryParam("after", "not-a-cursor!")
          .get("/api/v1/purchase-orders")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");

      assertThat(tap.drain(Duration.ofMillis(500)))
          .as("no refused request sent anything to stock or the exception register")
          .filteredOn(r -> r.raw().contains(number) || r.raw().contains(sku))
          .isEmpty();
    }

    // a PO that was never received can be cancelled, but one with receipts cannot
    json().body(receipt(line(sku, 2, 0))).post(receipts(po)).then().statusCode(201);
    refused(Map.of(), "/api/v1/purchase-orders/" + po + "/cancel", 409, "PURCHASE_ORDER_RECEIVED");
    awaitQuantity(sku, location, "available", 2);
    assertThat(StockService.quantity(sku, location, "incoming")).isEqualTo(8);
    json()
        .get("/api/v1/purchase-orders/{id}", po)
        .then()
        .body("status", equalTo("PARTIALLY_RECEIVED"))
        .body("receipts.size()", equalTo(1))
        .body("exceptions.size()", equalTo(0));
    StockService.assertLedgerMatchesBalances(sku);
  }

  private static String receipts(String po) {
    return "/api/v1/purchase-orders/" + po + "/receipts";
  }

  private static io.restassured.response.ValidatableResponse refused(
      Object body, String path, int status, String code) {
    var response =
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
