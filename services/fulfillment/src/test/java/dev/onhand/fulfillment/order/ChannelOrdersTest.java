package dev.onhand.fulfillment.order;

import static dev.onhand.fulfillment.support.Orders.awaitAvailable;
import static dev.onhand.fulfillment.support.Orders.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onhand.fulfillment.support.Orders;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.Messages;
import dev.onhand.platform.testing.StockService;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Orders and cancellations from the channels, as channel-sync sends them, in any order, twice. */
@QuarkusTest
class ChannelOrdersTest {

  @Test
  void anOrderDeliveredTwiceIsPlacedOnceAndItsCancellationReleasesIt() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 6);
    awaitAvailable(sku, location, 6);
    String channel = Orders.channel(true, location);
    String channelOrderId = StockService.unique("SHOP");

    String received = Broker.json(orderReceived(channel, channelOrderId, sku, 4));
    try (Broker broker = new Broker()) {
      broker.publish("onhand.channel-sync", "channel-sync.order.received", received, Map.of());
      broker.publish("onhand.channel-sync", "channel-sync.order.received", received, Map.of());
      broker.publish(
          "onhand.channel-sync",
          "channel-sync.order.received",
          Broker.json(orderReceived(channel, channelOrderId, sku, 4)),
          Map.of());
    }
    String id = awaitOrder(channel, channelOrderId);
    awaitStatus(id, "ALLOCATED");
    StockService.awaitQuantity(sku, location, "committed", 4);
    assertThat(
            Jdbc.ofApplication()
                .scalar("SELECT count(*) FROM allocation WHERE order_id = ?::uuid", id))
        .as("reserved once")
        .isEqualTo(1);

    try (Broker broker = new Broker()) {
      broker.publish(
          "onhand.channel-sync",
          "channel-sync.order.cancelled",
          Broker.json(orderCancelled(channel, channelOrderId)),
          Map.of());
    }
    awaitStatus(id, "CANCELLED");
    StockService.awaitQuantity(sku, location, "committed", 0);
    StockService.awaitQuantity(sku, location, "available", 6);
  }

  @Test
  void aCancellationThatArrivesBeforeItsOrderCancelsItOnArrivalWithoutReservingAnything()
      throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 6);
    awaitAvailable(sku, location, 6);
    String channel = Orders.channel(true, location);
    String channelOrderId = StockService.unique("SHOP");

    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.fulfillment", "fulfillment.reservation.requested")) {
      broker.publish(
          "onhand.channel-sync",
          "channel-sync.order.cancelled",
          Broker.json(orderCancelled(channel, channelOrderId)),
          Map.of());
      Jdbc db = Jdbc.ofApplication();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  db.scalar(
                          "SELECT count(*) FROM early_cancellation WHERE channel = ? AND"
                              + " channel_order_id = ?",
                          channel,
                          channelOrderId)
                      == 1);
      broker.publish(
          "onhand.channel-sync",
          "channel-sync.order.received",
          Broker.json(orderReceived(channel, channelOrderId, sku, 2)),
          Map.of());
      String id = awaitOrder(channel, channelOrderId);
      awaitStatus(id, "CANCELLED");
      assertThat(tap.drain(Duration.ofMillis(500)))
          .filteredOn(r -> r.raw().contains(id))
          .as("nothing asked of stock")
          .isEmpty();
    }
    assertThat(StockService.quantity(sku, location, "committed")).isZero();
    assertThat(StockService.quantity(sku, location, "available")).isEqualTo(6);
  }

  private static Map<String, Object> orderReceived(
      String channel, String channelOrderId, String sku, long quantity) {
    Map<String, Object> envelope =
        Messages.envelope(
            "channel-sync.order.received",
            "onhand/channel-sync",
            Map.of(
                "channel",
                channel,
                "channelOrderId",
                channelOrderId,
                "lines",
                List.of(Map.of("sku", sku, "quantity", quantity)),
                "shipTo",
                Map.of("name", "Grace Hopper")));
    envelope.put("subject", channel + ":" + channelOrderId);
    return envelope;
  }

  private static Map<String, Object> orderCancelled(String channel, String channelOrderId) {
    Map<String, Object> envelope =
        Messages.envelope(
            "channel-sync.order.cancelled",
            "onhand/channel-sync",
            Map.of("channel", channel, "channelOrderId", channelOrderId, "reason", "customer"));
    envelope.put("subject", channel + ":" + channelOrderId);
    envelope.put("id", UUID.randomUUID().toString());
    return envelope;
  }

  private static String awaitOrder(String channel, String channelOrderId) {
    Jdbc db = Jdbc.ofApplication();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                db.text(
                        "SELECT id FROM customer_order WHERE channel = ? AND channel_order_id = ?",
                        channel,
                        channelOrderId)
                    != null);
    return db.text(
        "SELECT id FROM customer_order WHERE channel = ? AND channel_order_id = ?",
        channel,
        channelOrderId);
  }
}
