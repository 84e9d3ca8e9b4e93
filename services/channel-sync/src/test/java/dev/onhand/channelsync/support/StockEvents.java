package dev.onhand.channelsync.support;

import static org.awaitility.Awaitility.await;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.Messages;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stock's events as stock publishes them (envelopes of contracts/schemas), sent straight to the
 * broker: channel-sync's tests need stock's announcements, not stock itself.
 */
public final class StockEvents {
  public static final String EXCHANGE = "onhand.stock";
  private static final String SOURCE = "onhand/stock";

  private StockEvents() {}

  /** A name no other test (or earlier run) uses. */
  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A new location stock announces, once channel-sync knows it. */
  public static String location(String type, boolean authoritative) {
    String code = unique("WH");
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("code", code);
    data.put("name", "Location " + code);
    data.put("type", type);
    data.put("authoritative", authoritative);
    data.put("updatedAt", Instant.now().toString());
    publish("stock.location.changed", code, null, data);
    awaitKnown("SELECT count(*) FROM known_location WHERE code = ?", code);
    return code;
  }

  public static String location() {
    return location("WAREHOUSE", false);
  }

  /** A new item stock announces, once channel-sync knows it. */
  public static String item() {
    String sku = unique("SKU");
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("sku", sku);
    data.put("name", "Item " + sku);
    data.put("unitCost", 4);
    data.put("lowStockThreshold", 0);
    data.put("updatedAt", Instant.now().toString());
    publish("stock.item.changed", sku, null, data);
    awaitKnown("SELECT count(*) FROM known_item WHERE sku = ?", sku);
    return sku;
  }

  /**
   * stock.inventory.changed: the balances of (sku, location) after the ledger entry {@code
   * sequence}.
   */
  public static Map<String, Object> inventoryChanged(
      String sku, String location, long sequence, long available) {
    Map<String, Object> quantities = new LinkedHashMap<>();
    quantities.put("available", available);
    quantities.put("committed", 0);
    quantities.put("reserved", 0);
    quantities.put("safetyStock", 0);
    quantities.put("qualityControl", 0);
    quantities.put("damaged", 0);
    quantities.put("incoming", 0);
    quantities.put("onHand", available);
    Map<String, Object> movement = new LinkedHashMap<>();
    movement.put("movementId", UUID.randomUUID().toString());
    movement.put("sequence", sequence);
    movement.put("state", "available");
    movement.put("delta", 1);
    movement.put("balanceAfter", available);
    movement.put("reason", "correction");
    movement.put("actor", "test");
    movement.put("occurredAt", Instant.now().toString());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("sku", sku);
    data.put("location", location);
    data.put("sequence", sequence);
    data.put("quantities", quantities);
    data.put("movements", List.of(movement));
    return envelope("stock.inventory.changed", sku + "@" + location, sequence, data);
  }

  /** Publishes stock.inventory.changed for (sku, location). */
  public static void available(String sku, String location, long sequence, long available) {
    send(inventoryChanged(sku, location, sequence, available));
  }

  /** Publishes stock.inventory.changed and waits until channel-sync has consumed it. */
  public static void availableNow(String sku, String location, long sequence, long available) {
    Map<String, Object> event = inventoryChanged(sku, location, sequence, available);
    send(event);
    awaitConsumed("channel-sync.inventory", List.of((String) event.get("id")));
  }

  public static Map<String, Object> envelope(
      String type, String subject, Long sequence, Map<String, Object> data) {
    Map<String, Object> envelope = Messages.envelope(type, SOURCE, data);
    envelope.put("subject", subject);
    if (sequence != null) {
      envelope.put("sequence", sequence);
    }
    return envelope;
  }

  private static void publish(
      String type, String subject, Long sequence, Map<String, Object> data) {
    send(envelope(type, subject, sequence, data));
  }

  /** Publishes an envelope to stock's exchange with its type as routing key. */
  public static void send(Map<String, Object> envelope) {
    sendAll(List.of(envelope));
  }

  /** Publishes envelopes in order over one connection. */
  public static void sendAll(List<Map<String, Object>> envelopes) {
    try (Broker broker = new Broker()) {
      for (Map<String, Object> envelope : envelopes) {
        broker.publish(EXCHANGE, (String) envelope.get("type"), Broker.json(envelope), Map.of());
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every message of one inbox consumer with these ids is processed. */
  public static void awaitConsumed(String consumer, List<String> ids) {
    Jdbc db = Jdbc.ofApplication();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                db.scalar(
                        "SELECT count(*) FROM inbox WHERE consumer = ? AND message_id = ANY(?)",
                        consumer,
                        ids.toArray(String[]::new))
                    == ids.size());
  }

  private static void awaitKnown(String sql, String key) {
    Jdbc db = Jdbc.ofApplication();
    await().atMost(Duration.ofSeconds(10)).until(() -> db.scalar(sql, key) == 1);
  }
}
