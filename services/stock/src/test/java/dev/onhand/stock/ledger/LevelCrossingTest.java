package dev.onhand.stock.ledger;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.contracts.MessageSchemas;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Concurrently;
import dev.onhand.stock.messaging.StockEvents;
import dev.onhand.stock.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Low-stock and out-of-stock crossings are announced once per crossing of a (SKU, location)'s
 * available units (items made by {@link Api#item()} have a low-stock threshold of 2), never for a
 * change that stays within a level, and under concurrent changes exactly as often as the ledger's
 * history crosses.
 */
@QuarkusTest
class LevelCrossingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(1500);

  @Test
  void eachCrossingIsPublishedOnceAndChangesWithinALevelNothing() throws Exception {
    String sku = Api.item();
    String location = Api.location();
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.stock", StockEvents.LEVEL_CROSSED)) {
      adjust(sku, location, "available", 5); // 0 → 5: back in stock
      adjust(sku, location, "available", -1); // 4: still in stock
      adjust(sku, location, "available", -2); // 2: low (threshold 2)
      adjust(sku, location, "damaged", 3); // another bucket: nothing
      adjust(sku, location, "available", -1); // 1: still low
      reserve(sku, location, 1); // 0 available: out of stock
      adjust(sku, location, "available", 1); // 1: low again

      List<Broker.Received> events = crossings(tap, sku + "@" + location);
      assertThat(events)
          .extracting(e -> e.data().path("previousLevel").asText() + "→" + level(e))
          .containsExactly(
              "OUT_OF_STOCK→IN_STOCK",
              "IN_STOCK→LOW_STOCK",
              "LOW_STOCK→OUT_OF_STOCK",
              "OUT_OF_STOCK→LOW_STOCK");
      assertThat(events)
          .extracting(e -> e.data().path("available").asLong())
          .containsExactly(5L, 2L, 0L, 1L);
      for (Broker.Received event : events) {
        assertThat(MessageSchemas.violations(event.envelope())).as(event.raw()).isEmpty();
        assertThat(event.data().path("lowStockThreshold").asLong()).isEqualTo(2);
        assertThat(event.envelope().path("sequence").asLong())
            .isEqualTo(event.data().path("sequence").asLong());
      }
    }
  }

  @Test
  void concurrentChangesPublishExactlyTheCrossingsOfTheLedgersHistory() throws Exception {
    String sku = Api.item();
    String location = Api.location();
    // the tap opens before the first stock: its crossing (out of stock → in stock) is relayed
    // asynchronously and belongs to the history checked below
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.stock", StockEvents.LEVEL_CROSSED)) {
      adjust(sku, location, "available", 3);
      // 48 changes of ±1 or ±2 around the threshold, 16 at a time; some are refused (422)
      // because available would go negative, which must publish nothing
      List<Integer> statuses =
          Concurrently.run(
              48,
              i ->
                  () -> {
                    long delta = (i % 2 == 0 ? 1 : -1) * (1 + i % 3 / 2);
                    return json()
                        .body(adjustment(sku, location, "available", delta))
                        .post("/api/v1/inventory/adjustments")
                        .statusCode();
                  });
      assertThat(statuses).allMatch(s -> s == 201 || s == 422);

      // the levels the ledger went through, entry by entry, starting from nothing (out of stock)
      List<String> expected = new ArrayList<>();
      StockLevel level = StockLevel.OUT_OF_STOCK;
      for (Map<String, Object> entry : ledger(sku, location)) {
        if (!"available".equals(entry.get("state"))) {
          continue;
        }
        StockLevel after = StockLevel.of(((Number) entry.get("balanceAfter")).longValue(), 2);
        if (after != level) {
          expected.add(entry.get("sequence") + ":" + level + "→" + after);
          level = after;
        }
      }
      assertThat(expected).as("the concurrent changes crossed levels").hasSizeGreaterThan(1);

      List<Broker.Received> events = crossings(tap, sku + "@" + location);
      assertThat(events)
          .extracting(
              e ->
                  e.data().path("sequence").asLong()
                      + ":"
                      + e.data().path("previousLevel").asText()
                      + "→"
                      + level(e))
          .containsExactlyElementsOf(expected);
    }
  }

  private static String level(Broker.Received event) {
    return event.data().path("level").asText();
  }

  /** Every crossing of one subject published until the broker stays quiet, by sequence. */
  private static List<Broker.Received> crossings(Broker.Tap tap, String subject)
      throws InterruptedException {
    List<Broker.Received> events = new ArrayList<>();
    events.add(tap.await(r -> subject.equals(r.envelope().path("subject").asText()), WAIT));
    for (Broker.Received r : tap.drain(QUIET)) {
      if (subject.equals(r.envelope().path("subject").asText())) {
        events.add(r);
      }
    }
    events.sort(Comparator.comparingLong(e -> e.data().path("sequence").asLong()));
    return events;
  }

  private static void adjust(String sku, String location, String state, long delta) {
    json()
        .body(adjustment(sku, location, state, delta))
        .post("/api/v1/inventory/adjustments")
        .then()
        .statusCode(201);
  }

  private static Map<String, Object> adjustment(
      String sku, String location, String state, long delta) {
    return Map.of(
        "reason",
        delta > 0 ? "found" : "correction",
        "reference",
        "test:levels",
        "lines",
        List.of(Map.of("sku", sku, "location", location, "state", state, "delta", delta)));
  }

  private static void reserve(String sku, String location, long quantity) {
    json()
        .body(Api.reservation("order:" + Api.unique("o"), sku, location, quantity, null))
        .post("/api/v1/reservations")
        .then()
        .statusCode(201);
  }

  private static List<Map<String, Object>> ledger(String sku, String location) {
    return json()
        .queryParam("sku", sku)
        .queryParam("location", location)
        .queryParam("limit", 500)
        .get("/api/v1/ledger")
        .then()
        .statusCode(200)
        .extract()
        .path("items");
  }
}
