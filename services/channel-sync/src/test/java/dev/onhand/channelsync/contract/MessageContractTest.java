package dev.onhand.channelsync.contract;

import static dev.onhand.channelsync.support.Channels.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.channelsync.sellable.InventoryConsumer;
import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Channel-sync held to {@code contracts/}: what it publishes validates against its JSON Schema, and
 * its consumers accept the contract's examples of stock's events (the tests' own stock events are
 * built to the same schemas).
 */
@QuarkusTest
class MessageContractTest {

  @Test
  void channelChangedValidatesAgainstItsSchema() throws Exception {
    String location = StockEvents.location();
    String code = StockEvents.unique("CONTRACT");
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.channel-sync", "channel-sync.#")) {
      Channels.put(code, webhook(code, List.of(location)), 201);
      Broker.Received changed =
          tap.await(
              r -> r.envelope().path("subject").asText().equals(code), Duration.ofSeconds(10));
      assertThat(MessageSchemas.violations(changed.envelope()))
          .as("%s validates against its schema: %s", changed.type(), changed.raw())
          .isEmpty();
      assertThat(changed.type()).isEqualTo("channel-sync.channel.changed");
      assertThat(changed.properties().getMessageId())
          .isEqualTo(changed.envelope().path("id").asText());
    }
  }

  @Test
  void theTestsStockEventsFitStocksSchemas() throws Exception {
    ObjectNode event =
        (ObjectNode)
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Broker.json(StockEvents.inventoryChanged("SKU-1", "WH-1", 3, 4)));
    assertThat(MessageSchemas.violations(event)).isEmpty();
  }

  @Test
  void theInventoryConsumerAcceptsTheContractsExample() throws Exception {
    ObjectNode example = MessageSchemas.example("stock.inventory.changed");
    String sku = StockEvents.unique("SKU");
    String location = StockEvents.unique("WH");
    example.put("id", UUID.randomUUID().toString()).put("subject", sku + "@" + location);
    ((ObjectNode) example.path("data")).put("sku", sku).put("location", location);
    assertThat(MessageSchemas.violations(example)).isEmpty();
    try (Broker broker = new Broker()) {
      broker.publish(StockEvents.EXCHANGE, "stock.inventory.changed", example.toString(), Map.of());
    }
    StockEvents.awaitConsumed(InventoryConsumer.CONSUMER, List.of(example.path("id").asText()));
    assertThat(
            Jdbc.ofApplication()
                .text(
                    "SELECT available || '@' || sequence FROM stock_level WHERE sku = ? AND"
                        + " location = ?",
                    sku,
                    location))
        .isEqualTo(
            example.path("data").path("quantities").path("available").asText()
                + "@"
                + example.path("data").path("sequence").asText());
  }
}
