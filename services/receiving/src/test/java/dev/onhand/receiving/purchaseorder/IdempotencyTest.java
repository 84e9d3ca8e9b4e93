package dev.onhand.receiving.purchaseorder;

import static dev.onhand.platform.testing.StockService.awaitQuantity;
import static dev.onhand.receiving.support.Receiving.json;
import static dev.onhand.receiving.support.Receiving.line;
import static dev.onhand.receiving.support.Receiving.order;
import static dev.onhand.receiving.support.Receiving.receipt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.StockService;
import dev.onhand.receiving.support.Receiving;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A receipt counts once, however often it is posted or its message delivered. */
@QuarkusTest
class IdempotencyTest {

  @Test
  void theSameReceiptPostedTwiceWithOneKeyIsCountedOnce() {
    String location = StockService.location();
    String sku = StockService.item();
    String po = Receiving.create(order(StockService.unique("PO"), location, sku, 10));
    String key = UUID.randomUUID().toString();

    Response first =
        json()
            .header("Idempotency-Key", key)
            .body(receipt(line(sku, 4, 1)))
            .post("/api/v1/purchase-orders/{id}/receipts", po);
    first.then().statusCode(201);
    Response second =
        json()
            .header("Idempotency-Key", key)
            .body(receipt(line(sku, 4, 1)))
            .post("/api/v1/purchase-orders/{id}/receipts", po);
    second.then().statusCode(201).header("Idempotent-Replayed", "true");
    assertThat(second.asString()).isEqualTo(first.asString());

    // the same key with another body is refused and changes nothing
    json()
        .header("Idempotency-Key", key)
        .body(receipt(line(sku, 5, 0)))
        .post("/api/v1/purchase-orders/{id}/receipts", po)
        .then()
        .statusCode(422)
        .contentType("application/problem+json");

    json()
        .get("/api/v1/purchase-orders/{id}", po)
        .then()
        .body("receipts.size()", equalTo(1))
        .body("lines[0].receivedGood", equalTo(4))
        .body("lines[0].receivedDamaged", equalTo(1));
    awaitQuantity(sku, location, "available", 4);
    awaitQuantity(sku, location, "incoming", 5);
    assertThat(StockService.quantity(sku, location, "damaged")).isEqualTo(1);
  }

  @Test
  void theSameReceiptMessageDeliveredTwiceIsCountedOnce() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    String po = Receiving.create(order(StockService.unique("PO"), location, sku, 10));
    awaitQuantity(sku, location, "incoming", 10);

    String receiptId;
    Broker.Received sent;
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.receiving", "receiving.movement.requested")) {
      receiptId =
          json()
              .body(receipt(line(sku, 7, 0)))
              .post("/api/v1/purchase-orders/{id}/receipts", po)
              .then()
              .statusCode(201)
              .extract()
              .path("receipts[0].id");
      sent =
          tap.await(
              r -> r.data().path("movementId").asText().equals(receiptId), Duration.ofSeconds(10));
      awaitQuantity(sku, location, "available", 7);

      // redelivered as it was, and resent under a new message id: the movement id deduplicates
      broker.publish("onhand.receiving", "receiving.movement.requested", sent.raw(), Map.of());
      ObjectNode resent = (ObjectNode) new ObjectMapper().readTree(sent.raw());
      resent.put("id", UUID.randomUUID().toString());
      broker.publish(
          "onhand.receiving", "receiving.movement.requested", resent.toString(), Map.of());
    }
    // a later movement of the same SKU, applied after the duplicates in queue order
    Receiving.create(order(StockService.unique("PO"), location, sku, 1));
    awaitQuantity(sku, location, "incoming", 4);

    assertThat(StockService.quantity(sku, location, "available")).isEqualTo(7);
    assertThat(
            StockService.ledger(sku, location).stream()
                .filter(e -> String.valueOf(e.get("reference")).endsWith("/receipt:" + receiptId))
                .count())
        .as("ledger entries of the receipt: incoming and available, once")
        .isEqualTo(2);
    StockService.assertLedgerMatchesBalances(sku);
  }
}
