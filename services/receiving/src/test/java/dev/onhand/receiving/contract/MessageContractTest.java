package dev.onhand.receiving.contract;

import static dev.onhand.receiving.support.Receiving.json;
import static dev.onhand.receiving.support.Receiving.line;
import static dev.onhand.receiving.support.Receiving.order;
import static dev.onhand.receiving.support.Receiving.receipt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.StockService;
import dev.onhand.receiving.support.Receiving;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Receiving held to {@code contracts/}: every message it publishes validates against its JSON
 * Schema, and its consumer accepts the contract's examples of what stock sends it.
 */
@QuarkusTest
class MessageContractTest {
  private static final Set<String> PUBLISHED =
      Set.of("receiving.movement.requested", "receiving.exception.raised");

  @Test
  void everyMessageReceivingPublishesValidatesAgainstItsSchema() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    String stray = StockService.item();
    String number = StockService.unique("PO");
    List<Broker.Received> published = new ArrayList<>();
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.receiving", "receiving.#")) {
      String po = Receiving.create(order(number, location, sku, 10));
      json()
          .body(receipt(line(sku, 3, 1), line(stray, 1, 0)))
          .post("/api/v1/purchase-orders/{id}/receipts", po)
          .then()
          .statusCode(201);
      json().post("/api/v1/purchase-orders/{id}/close", po).then().statusCode(200);
      // the PO, its receipt and its close; the unexpected SKU and the short line at close
      for (int i = 0; i < 5; i++) {
        published.add(tap.await(r -> r.raw().contains("po:" + number), Duration.ofSeconds(10)));
      }
      assertThat(tap.drain(Duration.ofMillis(300)))
          .filteredOn(r -> r.raw().contains("po:" + number))
          .as("nothing beyond the five expected")
          .isEmpty();
    }
    Set<String> seen = new TreeSet<>();
    for (Broker.Received r : published) {
      assertThat(MessageSchemas.violations(r.envelope()))
          .as("%s validates against its schema: %s", r.type(), r.raw())
          .isEmpty();
      assertThat(r.envelope().path("source").asText()).isEqualTo("onhand/receiving");
      assertThat(r.properties().getContentType()).isEqualTo("application/cloudevents+json");
      seen.add(r.type());
    }
    assertThat(seen).isEqualTo(new TreeSet<>(PUBLISHED));
  }

  @Test
  void theConsumerAcceptsTheContractsExamplesOfStockReferenceData() throws Exception {
    String code = StockService.unique("EXWH");
    String sku = StockService.unique("EXSKU");
    ObjectNode location = MessageSchemas.example("stock.location.changed");
    location.put("id", UUID.randomUUID().toString());
    ((ObjectNode) location.path("data")).put("code", code);
    ObjectNode item = MessageSchemas.example("stock.item.changed");
    item.put("id", UUID.randomUUID().toString());
    ((ObjectNode) item.path("data")).put("sku", sku);
    assertThat(MessageSchemas.violations(location)).isEmpty();
    assertThat(MessageSchemas.violations(item)).isEmpty();
    try (Broker broker = new Broker()) {
      broker.publish("onhand.stock", "stock.location.changed", location.toString(), Map.of());
      broker.publish("onhand.stock", "stock.item.changed", item.toString(), Map.of());
    }
    Jdbc db = Jdbc.ofApplication();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                db.scalar("SELECT count(*) FROM known_location WHERE code = ?", code)
                        + db.scalar("SELECT count(*) FROM known_item WHERE sku = ?", sku)
                    == 2);

    // an older announcement arriving late does not overwrite a newer one
    ObjectNode stale = location.deepCopy();
    stale.put("id", UUID.randomUUID().toString());
    ((ObjectNode) stale.path("data"))
        .put("type", "STORE")
        .put("updatedAt", Instant.EPOCH.toString());
    try (Broker broker = new Broker()) {
      broker.publish("onhand.stock", "stock.location.changed", stale.toString(), Map.of());
      broker.publish(
          "onhand.stock",
          "stock.location.changed",
          location.put("id", UUID.randomUUID().toString()).toString(),
          Map.of());
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                db.scalar(
                        "SELECT count(*) FROM inbox WHERE consumer = 'receiving.stock-reference'"
                            + " AND message_id = ?",
                        location.path("id").asText())
                    == 1);
    assertThat(db.text("SELECT type FROM known_location WHERE code = ?", code))
        .isEqualTo("WAREHOUSE");
  }
}
