package dev.onhand.channelsync.sellable;

import static dev.onhand.channelsync.support.Channels.awaitApplied;
import static dev.onhand.channelsync.support.Channels.listingOf;
import static dev.onhand.channelsync.support.Channels.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.channelsync.support.WebhookReceiver;
import dev.onhand.platform.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A stale, reordered or duplicated stock event never moves a channel's quantity. */
@QuarkusTest
class OutOfOrderAndDuplicateEventsTest {

  @Test
  void staleAndDuplicatedEventsChangeNothing() {
    String location = StockEvents.location();
    String sku = StockEvents.item();
    String code = StockEvents.unique("ORDER");
    Channels.put(code, webhook(code, List.of(location)), 201);
    Channels.listing(code, sku);
    StockEvents.availableNow(sku, location, 5, 50);
    awaitApplied(code, sku, 50);
    long version = listingOf(code, sku).getLong("version");

    Map<String, Object> late = StockEvents.inventoryChanged(sku, location, 3, 30);
    Map<String, Object> sameSequence = StockEvents.inventoryChanged(sku, location, 5, 99);
    Map<String, Object> newer = StockEvents.inventoryChanged(sku, location, 7, 70);
    Map<String, Object> redelivered = new java.util.LinkedHashMap<>(late);
    Map<String, Object> republished = new java.util.LinkedHashMap<>(newer);
    republished.put("id", UUID.randomUUID().toString());
    Map<String, Object> older = StockEvents.inventoryChanged(sku, location, 6, 60);
    StockEvents.sendAll(List.of(late, sameSequence, redelivered, newer, republished, older));
    StockEvents.awaitConsumed(
        "channel-sync.inventory",
        List.of(
            (String) late.get("id"),
            (String) sameSequence.get("id"),
            (String) newer.get("id"),
            (String) republished.get("id"),
            (String) older.get("id")));

    Jdbc db = Jdbc.ofApplication();
    assertThat(
            db.text(
                "SELECT available || '@' || sequence FROM stock_level WHERE sku = ? AND location"
                    + " = ?",
                sku,
                location))
        .isEqualTo("70@7");
    // only the newer event made a version
    assertThat(listingOf(code, sku).getLong("version")).isEqualTo(version + 1);
    assertThat(listingOf(code, sku).getLong("quantity")).isEqualTo(70);
    awaitApplied(code, sku, 70);
    assertThat(WebhookReceiver.get().applied(code).stream().map(WebhookReceiver.Received::quantity))
        .as("the channel never saw a stale quantity")
        .doesNotContain(30L, 99L, 60L)
        .last()
        .isEqualTo(70L);
  }
}
