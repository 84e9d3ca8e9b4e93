package dev.onhand.fulfillment.order;

import static dev.onhand.fulfillment.support.Orders.awaitAvailable;
import static dev.onhand.fulfillment.support.Orders.awaitStatus;
import static dev.onhand.fulfillment.support.Orders.json;
import static dev.onhand.fulfillment.support.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.fulfillment.support.Orders;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.StockService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each order's first-allocation outcome, the fill rate's datum, leaves once as {@code
 * fulfillment.order.allocated}: when the last line's outcome is decided, whether it was filled,
 * split, backordered or refused by stock, and never again for later allocations or redelivered
 * replies.
 */
@QuarkusTest
@QuarkusTestResource(StockService.class)
class FirstAllocationAnnouncementTest {
  private static final String ALLOCATED = "fulfillment.order.allocated";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration QUIET = Duration.ofSeconds(2);

  @Test
  void anOrderFilledAtFirstAllocationIsAnnouncedOnceWithWhereEachLineWasReserved()
      throws Exception {
    String location = StockService.location();
    String shirts = StockService.item();
    String caps = StockService.item();
    StockService.adjust(shirts, location, "available", 5);
    StockService.adjust(caps, location, "available", 5);
    awaitAvailable(shirts, location, 5);
    awaitAvailable(caps, location, 5);
    String channel = Orders.channel(true, location);

    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.fulfillment", ALLOCATED)) {
      Map<String, Object> body = order(channel, shirts, 2, caps, 1);
      String id = Orders.place(body);
      awaitStatus(id, "ALLOCATED");
      Broker.Received announced = only(tap, id);

      assertThat(MessageSchemas.violations(announced.envelope())).isEmpty();
      assertThat(announced.envelope().path("subject").asText()).isEqualTo("order:" + id);
      assertThat(announced.envelope().path("source").asText()).isEqualTo("onhand/fulfillment");
      JsonNode data = announced.data();
      assertThat(data.path("channel").asText()).isEqualTo(channel);
      assertThat(data.path("channelOrderId").asText()).isEqualTo(body.get("channelOrderId"));
      assertThat(OffsetDateTime.parse(data.path("allocatedAt").asText()))
          .isBetween(OffsetDateTime.now().minusMinutes(1), OffsetDateTime.now());
      assertThat(lines(data))
          .containsExactly(new Line(shirts, 2, location, true), new Line(caps, 1, location, true));
    }
  }

  @Test
  void aSplitLineCountsAsFilledOnceBothPartsAreReservedAndABackorderedLineHasNoLocation()
      throws Exception {
    String first = StockService.location();
    String second = StockService.location();
    String sku = StockService.item();
    String missing = StockService.item();
    StockService.adjust(sku, first, "available", 3);
    StockService.adjust(sku, second, "available", 3);
    awaitAvailable(sku, first, 3);
    awaitAvailable(sku, second, 3);
    String channel = Orders.channel(true, first, second);

    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.fulfillment", ALLOCATED)) {
      String id = Orders.place(order(channel, sku, 5, missing, 2));
      awaitStatus(id, "PARTIALLY_ALLOCATED");
      StockService.awaitQuantity(sku, second, "committed", 2);
      Broker.Received announced = only(tap, id);
      assertThat(MessageSchemas.violations(announced.envelope())).isEmpty();
      // 3 units asked at first and 2 at second: first is where most of the line was asked
      assertThat(lines(announced.data()))
          .containsExactly(new Line(sku, 5, first, true), new Line(missing, 2, null, false));
      json()
          .get("/api/v1/orders/{id}", id)
          .then()
          .body("lines.filledAtFirstAllocation", org.hamcrest.Matchers.contains(true, false));
    }
  }

  @Test
  void anOrderBackorderedWholeIsAnnouncedAtOnceAndNotAgainWhenStockArrives() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    String channel = Orders.channel(true, location);

    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.fulfillment", ALLOCATED)) {
      String id = Orders.place(order(channel, sku, 2));
      awaitStatus(id, "BACKORDERED");
      Broker.Received announced =
          tap.await(r -> r.data().path("orderId").asText().equals(id), WAIT);
      assertThat(MessageSchemas.violations(announced.envelope())).isEmpty();
      assertThat(lines(announced.data())).containsExactly(new Line(sku, 2, null, false));

      // stock arrives: the order is allocated (its allocation is again the order's first), and
      // the outcome already announced stays the only one
      StockService.adjust(sku, location, "available", 5);
      awaitStatus(id, "ALLOCATED");
      assertThat(tap.drain(QUIET))
          .filteredOn(r -> r.data().path("orderId").asText().equals(id))
          .isEmpty();
      json()
          .get("/api/v1/orders/{id}", id)
          .then()
          .body("lines[0].filledAtFirstAllocation", org.hamcrest.Matchers.equalTo(false));
    }
  }

  @Test
  void aFirstReservationStockRefusesIsAnnouncedAsNotFilledWhereItWasAsked() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 1);
    awaitAvailable(sku, location, 1);
    String channel = Orders.channel(true, location);
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.fulfillment", ALLOCATED)) {
      // fulfillment believes 4 are free, stock has 1: stock refuses the first reservation
      announceAvailable(broker, sku, location, 4);
      awaitAvailable(sku, location, 4);
      String id = Orders.place(order(channel, sku, 2));
      awaitStatus(id, "PARTIALLY_ALLOCATED");
      StockService.awaitQuantity(sku, location, "committed", 1);
      Broker.Received announced = only(tap, id);
      assertThat(MessageSchemas.violations(announced.envelope())).isEmpty();
      assertThat(lines(announced.data())).containsExactly(new Line(sku, 2, location, false));
    }
  }

  @Test
  void aReservationReplyDeliveredAgainAnnouncesNothingMore() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 10);
    awaitAvailable(sku, location, 10);
    String channel = Orders.channel(true, location);

    try (Broker broker = new Broker();
        Broker.Tap confirmations = broker.tap("onhand.stock", "stock.reservation.confirmed");
        Broker.Tap tap = broker.tap("onhand.fulfillment", ALLOCATED)) {
      String id = Orders.place(order(channel, sku, 4));
      Broker.Received confirmation =
          confirmations.await(r -> r.data().path("reference").asText().equals("order:" + id), WAIT);
      awaitStatus(id, "ALLOCATED");
      tap.await(r -> r.data().path("orderId").asText().equals(id), WAIT);

      // redelivered as it was, then resent under a new message id
      broker.publish("onhand.stock", "stock.reservation.confirmed", confirmation.raw(), Map.of());
      ObjectNode resent = confirmation.envelope().deepCopy();
      resent.put("id", UUID.randomUUID().toString());
      broker.publish("onhand.stock", "stock.reservation.confirmed", resent.toString(), Map.of());
      // a later order of the SKU is settled after the duplicates, in queue order
      String later = Orders.place(order(channel, sku, 1));
      awaitStatus(later, "ALLOCATED");
      tap.await(r -> r.data().path("orderId").asText().equals(later), WAIT);

      assertThat(tap.drain(QUIET))
          .filteredOn(r -> r.data().path("orderId").asText().equals(id))
          .isEmpty();
    }
  }

  record Line(String sku, long quantity, String location, boolean filled) {}

  private static List<Line> lines(JsonNode data) {
    List<Line> lines = new ArrayList<>();
    data.path("lines")
        .forEach(
            l ->
                lines.add(
                    new Line(
                        l.path("sku").asText(),
                        l.path("quantity").asLong(),
                        l.path("location").isNull() ? null : l.path("location").asText(),
                        l.path("filledAtFirstAllocation").asBoolean())));
    return lines;
  }

  /** The announcement of the order, after which none other comes for it. */
  private static Broker.Received only(Broker.Tap tap, String orderId) throws Exception {
    Broker.Received announced =
        tap.await(r -> r.data().path("orderId").asText().equals(orderId), WAIT);
    assertThat(tap.drain(QUIET))
        .as("announced once")
        .filteredOn(r -> r.data().path("orderId").asText().equals(orderId))
        .isEmpty();
    return announced;
  }

  /** Stock's balance as fulfillment hears it, with a sequence newer than any stock has sent. */
  private static void announceAvailable(Broker broker, String sku, String location, long available)
      throws Exception {
    ObjectNode event = MessageSchemas.example("stock.inventory.changed");
    event.put("id", UUID.randomUUID().toString()).put("subject", sku + "@" + location);
    event.put("sequence", 1_000_000);
    ObjectNode data = (ObjectNode) event.get("data");
    data.put("sku", sku).put("location", location).put("sequence", 1_000_000);
    ((ObjectNode) data.get("quantities")).put("available", available);
    broker.publish("onhand.stock", "stock.inventory.changed", event.toString(), Map.of());
  }
}
