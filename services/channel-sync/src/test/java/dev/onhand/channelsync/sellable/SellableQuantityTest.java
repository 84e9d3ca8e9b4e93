package dev.onhand.channelsync.sellable;

import static dev.onhand.channelsync.support.Channels.awaitApplied;
import static dev.onhand.channelsync.support.Channels.listingOf;
import static dev.onhand.channelsync.support.Channels.webhook;
import static dev.onhand.channelsync.support.Channels.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.channelsync.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stock changes reach a channel as the channel's rules say, and only from its locations. */
@QuarkusTest
class SellableQuantityTest {

  @Test
  void aChannelIsShownItsShareOfItsLocationsLessItsBufferUpToItsMaximum() {
    String first = StockEvents.location();
    String second = StockEvents.location();
    String elsewhere = StockEvents.location();
    String sku = StockEvents.item();
    String code = StockEvents.unique("HOOK");
    Channels.put(
        code,
        with(
            webhook(code, List.of(first, second)),
            "bufferUnits",
            2,
            "allocationPercent",
            50,
            "maximum",
            20),
        201);
    Channels.listing(code, sku);

    StockEvents.available(sku, first, 1, 10);
    StockEvents.available(sku, second, 1, 7);
    // pool 17, floor(17 × 50%) = 8, less 2
    awaitApplied(code, sku, 6);
    long version = listingOf(code, sku).getLong("version");

    // a location the channel does not sell from changes nothing (counted, it would give 18)
    var ignored = StockEvents.inventoryChanged(sku, elsewhere, 9, 500);
    StockEvents.send(ignored);
    StockEvents.awaitConsumed(InventoryConsumer.CONSUMER, List.of((String) ignored.get("id")));
    assertThat(listingOf(code, sku).getLong("version")).isEqualTo(version);
    assertThat(listingOf(code, sku).getLong("quantity")).isEqualTo(6);

    StockEvents.available(sku, second, 4, 37);
    // pool 47: 23, capped at 20, less 2
    WebhookReceiver.Received last = awaitApplied(code, sku, 18);
    assertThat(last.version()).isEqualTo(listingOf(code, sku).getLong("version"));

    // but it counts once the channel sells from it: new rules recompute and push at once
    Channels.put(
        code,
        with(
            webhook(code, List.of(first, second, elsewhere)),
            "bufferUnits",
            2,
            "allocationPercent",
            10,
            "maximum",
            null),
        200);
    // pool 547: 54, less 2
    awaitApplied(code, sku, 52);
    // pushes may coalesce, but the channel was only ever shown what its rules gave
    assertThat(WebhookReceiver.get().applied(code).stream().map(WebhookReceiver.Received::quantity))
        .as("every quantity the channel was shown")
        .contains(6L, 18L, 52L)
        .isSubsetOf(0L, 3L, 6L, 18L, 52L)
        .last()
        .isEqualTo(52L);
  }

  @Test
  void anAuthoritativeLocationCountsInThePool() {
    String warehouse = StockEvents.location();
    String fba = StockEvents.location("MARKETPLACE", true);
    String sku = StockEvents.item();
    String code = StockEvents.unique("HOOK");
    Channels.put(code, webhook(code, List.of(warehouse, fba)), 201);
    Channels.listing(code, sku);
    StockEvents.available(sku, warehouse, 3, 5);
    StockEvents.available(sku, fba, 8, 4);
    awaitApplied(code, sku, 9);
  }

  @Test
  void aListingsOverridesReplaceTheChannelsBufferMaximumOrTheWholeComputation() {
    String location = StockEvents.location();
    String buffered = StockEvents.item();
    String capped = StockEvents.item();
    String fixed = StockEvents.item();
    String code = StockEvents.unique("HOOK");
    Channels.put(code, with(webhook(code, List.of(location)), "bufferUnits", 5), 201);
    for (String sku : List.of(buffered, capped, fixed)) {
      StockEvents.available(sku, location, 1, 30);
    }
    Channels.listing(code, buffered, Map.of("listingId", "B", "bufferUnits", 0));
    Channels.listing(code, capped, Map.of("listingId", "C", "maximum", 12));
    Channels.listing(code, fixed, Map.of("listingId", "F", "fixedQuantity", 3));
    // the stock events may land before or after the listings: either way the end is the same
    awaitApplied(code, buffered, 30);
    awaitApplied(code, capped, 7);
    WebhookReceiver.Received applied = awaitApplied(code, fixed, 3);
    assertThat(applied.body().path("listingId").asText()).isEqualTo("F");
    assertThat(applied.body().path("channel").asText()).isEqualTo(code);
  }
}
