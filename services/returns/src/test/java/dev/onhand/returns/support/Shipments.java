package dev.onhand.returns.support;

import static org.awaitility.Awaitility.await;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.Messages;
import dev.onhand.platform.testing.StockService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Orders shipped, announced as fulfillment announces them (fulfillment.order.shipped). */
public final class Shipments {
  private Shipments() {}

  /** A shipped order of one location: its id, channel and channel order id. */
  public record Shipped(String orderId, String channel, String channelOrderId, String raw) {}

  /**
   * Announces that {@code skuQuantities} (SKU, quantity, ...) of a new order left {@code location}.
   */
  public static Shipped ship(String location, Object... skuQuantities) throws Exception {
    String orderId = UUID.randomUUID().toString();
    String channel = StockService.unique("CH");
    String channelOrderId = StockService.unique("CO");
    List<Map<String, Object>> lines = new java.util.ArrayList<>();
    long units = 0;
    for (int i = 0; i < skuQuantities.length; i += 2) {
      lines.add(Map.of("sku", skuQuantities[i], "quantity", skuQuantities[i + 1]));
      units += ((Number) skuQuantities[i + 1]).longValue();
    }
    Map<String, Object> envelope =
        Messages.envelope(
            "fulfillment.order.shipped",
            "onhand/fulfillment",
            Map.of(
                "orderId", orderId,
                "channel", channel,
                "channelOrderId", channelOrderId,
                "shipmentId", UUID.randomUUID().toString(),
                "location", location,
                "occurredAt", Instant.now().toString(),
                "lines", lines));
    envelope.put("subject", "order:" + orderId);
    String raw = Broker.json(envelope);
    try (Broker broker = new Broker()) {
      broker.publish("onhand.fulfillment", "fulfillment.order.shipped", raw, Map.of());
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
    return new Shipped(orderId, channel, channelOrderId, raw);
  }
}
