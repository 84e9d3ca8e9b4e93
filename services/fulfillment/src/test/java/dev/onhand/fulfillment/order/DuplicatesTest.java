package dev.onhand.fulfillment.order;

import static dev.onhand.fulfillment.support.Orders.awaitAvailable;
import static dev.onhand.fulfillment.support.Orders.awaitStatus;
import static dev.onhand.fulfillment.support.Orders.json;
import static dev.onhand.fulfillment.support.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.onhand.fulfillment.support.Orders;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.StockService;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A duplicate webhook, retry or redelivered reply changes nothing. */
@QuarkusTest
class DuplicatesTest {

  @Test
  void theSameOrderPostedTwiceIsOneOrder() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 10);
    awaitAvailable(sku, location, 10);
    Map<String, Object> body = order(Orders.channel(true, location), sku, 3);

    String first = Orders.place(body);
    String second = Orders.place(body);
    assertThat(second).isEqualTo(first);
    String key = UUID.randomUUID().toString();
    String third =
        json()
            .header("Idempotency-Key", key)
            .body(body)
            .post("/api/v1/orders")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    json()
        .header("Idempotency-Key", key)
        .body(body)
        .post("/api/v1/orders")
        .then()
        .statusCode(202)
        .header("Idempotent-Replayed", "true")
        .body("id", equalTo(third));
    assertThat(third).isEqualTo(first);

    awaitStatus(first, "ALLOCATED");
    StockService.awaitQuantity(sku, location, "committed", 3);
    assertThat(
            Jdbc.ofApplication()
                .scalar(
                    "SELECT count(*) FROM customer_order WHERE channel = ? AND channel_order_id = ?",
                    body.get("channel"),
                    body.get("channelOrderId")))
        .isEqualTo(1);
  }

  @Test
  void theSameReservationReplyDeliveredTwiceIsAppliedOnce() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 10);
    awaitAvailable(sku, location, 10);
    String channel = Orders.channel(true, location);

    Broker.Received confirmation;
    String id;
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.stock", "stock.reservation.confirmed")) {
      id = Orders.place(order(channel, sku, 4));
      String orderId = id;
      confirmation =
          tap.await(
              r -> r.data().path("reference").asText().equals("order:" + orderId),
              Duration.ofSeconds(10));
      awaitStatus(id, "ALLOCATED");

      // redelivered as it was, then resent under a new message id
      broker.publish("onhand.stock", "stock.reservation.confirmed", confirmation.raw(), Map.of());
      var resent =
          (com.fasterxml.jackson.databind.node.ObjectNode) confirmation.envelope().deepCopy();
      resent.put("id", UUID.randomUUID().toString());
      broker.publish("onhand.stock", "stock.reservation.confirmed", resent.toString(), Map.of());
    }
    // a later order of the same SKU settles after the duplicates in queue order
    String later = Orders.place(order(channel, sku, 1));
    awaitStatus(later, "ALLOCATED");

    json()
        .get("/api/v1/orders/{id}", id)
        .then()
        .body("status", equalTo("ALLOCATED"))
        .body("allocations.size()", equalTo(1))
        .body("lines[0].allocated", equalTo(4))
        .body("lines[0].pending", equalTo(0));
    StockService.awaitQuantity(sku, location, "committed", 5);
    assertThat(StockService.quantity(sku, location, "available")).isEqualTo(5);
  }
}
