package dev.onhand.returns.contract;

import static dev.onhand.returns.support.Returns.json;
import static dev.onhand.returns.support.Returns.line;
import static dev.onhand.returns.support.Returns.receipt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.StockService;
import dev.onhand.returns.support.Returns;
import dev.onhand.returns.support.Shipments;
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
 * Returns held to {@code contracts/}: every message it publishes validates against its JSON Schema,
 * and its shipments consumer accepts the contract's example of fulfillment.order.shipped.
 */
@QuarkusTest
class MessageContractTest {

  @Test
  void everyMessageReturnsPublishesValidatesAgainstItsSchema() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    Shipments.Shipped order = Shipments.ship(location, sku, 2);
    List<Broker.Received> published = new ArrayList<>();
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.returns", "returns.#")) {
      String rma = Returns.authorize(Returns.authorization(order.orderId(), sku, 1));
      json()
          .body(receipt(location, line(sku, 1, "SELLABLE"), line(sku, 1, "MISSING")))
          .post("/api/v1/returns/{id}/receipts", rma)
          .then()
          .statusCode(201);
      // the movement and the missing unit's exception
      for (int i = 0; i < 2; i++) {
        published.add(tap.await(r -> r.raw().contains("rma:" + rma), Duration.ofSeconds(10)));
      }
    }
    Set<String> seen = new TreeSet<>();
    for (Broker.Received r : published) {
      assertThat(MessageSchemas.violations(r.envelope()))
          .as("%s validates against its schema: %s", r.type(), r.raw())
          .isEmpty();
      assertThat(r.envelope().path("source").asText()).isEqualTo("onhand/returns");
      seen.add(r.type());
    }
    assertThat(seen).containsExactly("returns.exception.raised", "returns.movement.requested");
    StockService.awaitQuantity(sku, location, "available", 1);
  }

  @Test
  void theShipmentsConsumerAcceptsTheContractsExample() throws Exception {
    ObjectNode example = MessageSchemas.example("fulfillment.order.shipped");
    String orderId = UUID.randomUUID().toString();
    example.put("id", UUID.randomUUID().toString()).put("subject", "order:" + orderId);
    ((ObjectNode) example.path("data"))
        .put("orderId", orderId)
        .put("shipmentId", UUID.randomUUID().toString());
    assertThat(MessageSchemas.violations(example)).isEmpty();
    try (Broker broker = new Broker()) {
      broker.publish(
          "onhand.fulfillment", "fulfillment.order.shipped", example.toString(), Map.of());
    }
    long units = 0;
    for (var line : example.path("data").path("lines")) {
      units += line.path("quantity").asLong();
    }
    long expected = units;
    Jdbc db = Jdbc.ofApplication();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                db.scalar(
                        "SELECT coalesce(sum(quantity), 0) FROM shipped_line WHERE order_id = ?::uuid",
                        orderId)
                    == expected);
  }
}
