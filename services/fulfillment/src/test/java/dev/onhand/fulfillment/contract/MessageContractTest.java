package dev.onhand.fulfillment.contract;

import static dev.onhand.fulfillment.support.Orders.awaitAvailable;
import static dev.onhand.fulfillment.support.Orders.awaitStatus;
import static dev.onhand.fulfillment.support.Orders.json;
import static dev.onhand.fulfillment.support.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.fulfillment.support.Orders;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.StockService;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Fulfillment held to {@code contracts/}: every message it publishes validates against its JSON
 * Schema (and stock, the real consumer, applies them), and its channel consumer accepts the
 * contract's example.
 */
@QuarkusTest
class MessageContractTest {
  private static final Set<String> PUBLISHED =
      Set.of(
          "fulfillment.reservation.requested",
          "fulfillment.shipment.recorded",
          "fulfillment.reservation.release-requested",
          "fulfillment.movement.requested",
          "fulfillment.exception.raised",
          "fulfillment.order.shipped",
          "fulfillment.order.allocated");

  @Test
  void everyMessageFulfillmentPublishesValidatesAgainstItsSchema() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 5);
    awaitAvailable(sku, location, 5);
    String channel = Orders.channel(true, location);
    List<Broker.Received> published = new ArrayList<>();
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.fulfillment", "fulfillment.#")) {
      String id = Orders.place(order(channel, sku, 3));
      awaitStatus(id, "ALLOCATED");
      json()
          .body(Map.of("location", location, "lines", List.of(Map.of("sku", sku, "quantity", 1))))
          .post("/api/v1/orders/{id}/shipments", id)
          .then()
          .statusCode(201);
      json().post("/api/v1/orders/{id}/cancel", id).then().statusCode(200);
      // a reservation request, the order's first allocation, the shipment for stock and for
      // returns, a release
      for (int i = 0; i < 5; i++) {
        published.add(tap.await(r -> r.raw().contains("order:" + id), Duration.ofSeconds(10)));
      }
      // a mispick (after its reservation request and first allocation): a release, a correction
      // of the SKU that left, an exception and the units that count as shipped
      String other = StockService.item();
      StockService.adjust(other, location, "available", 2);
      String mispicked = Orders.place(order(channel, sku, 1));
      awaitStatus(mispicked, "ALLOCATED");
      json()
          .body(
              Map.of(
                  "type", "MISPICK",
                  "location", location,
                  "sku", sku,
                  "quantity", 1,
                  "shippedSku", other))
          .post("/api/v1/orders/{id}/pick-exceptions", mispicked)
          .then()
          .statusCode(201);
      for (int i = 0; i < 6; i++) {
        published.add(
            tap.await(r -> r.raw().contains("order:" + mispicked), Duration.ofSeconds(10)));
      }
      assertThat(
              published.stream()
                  .filter(r -> r.type().equals("fulfillment.order.shipped"))
                  .filter(r -> r.data().path("orderId").asText().equals(mispicked))
                  .map(r -> r.data().path("lines").path(0).path("mispickedAs").asText()))
          .as("the mispick's units count as shipped, and say what left")
          .containsExactly(other);
    }
    Set<String> seen = new TreeSet<>();
    for (Broker.Received r : published) {
      assertThat(MessageSchemas.violations(r.envelope()))
          .as("%s validates against its schema: %s", r.type(), r.raw())
          .isEmpty();
      assertThat(r.envelope().path("source").asText()).isEqualTo("onhand/fulfillment");
      seen.add(r.type());
    }
    assertThat(seen).isEqualTo(new TreeSet<>(PUBLISHED));
    // stock applied them: 1 shipped, 2 released; the mispicked unit went back, the other left
    StockService.awaitQuantity(sku, location, "committed", 0);
    StockService.awaitQuantity(sku, location, "available", 4);
  }

  @Test
  void theChannelConsumerAcceptsTheContractsExample() throws Exception {
    String code = StockService.unique("EXCH");
    ObjectNode example = MessageSchemas.example("channel-sync.channel.changed");
    example.put("id", UUID.randomUUID().toString()).put("subject", code);
    ((ObjectNode) example.path("data")).put("code", code);
    assertThat(MessageSchemas.violations(example)).isEmpty();
    try (Broker broker = new Broker()) {
      broker.publish(
          "onhand.channel-sync", "channel-sync.channel.changed", example.toString(), Map.of());
    }
    Jdbc db = Jdbc.ofApplication();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                db.scalar(
                        "SELECT count(*) FROM channel_location WHERE channel = ? AND location IN"
                            + " ('EX-WH-1', 'EX-3PL-1')",
                        code)
                    == 2);
    assertThat(
            db.text("SELECT location FROM channel_location WHERE channel = ? AND rank = 1", code))
        .isEqualTo("EX-WH-1");
  }
}
