package dev.onhand.fulfillment.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.Messages;
import dev.onhand.platform.testing.StockService;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Orders as integrators place them, and channels as channel-sync announces them. */
public final class Orders {
  private Orders() {}

  public static RequestSpecification json() {
    return given().contentType(ContentType.JSON).accept(ContentType.JSON);
  }

  /** An order body; {@code skuQuantities} alternates SKU and quantity. */
  public static Map<String, Object> order(String channel, Object... skuQuantities) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("channel", channel);
    body.put("channelOrderId", StockService.unique("CO"));
    body.put("lines", lines(skuQuantities));
    body.put("shipTo", Map.of("name", "Ada Lovelace", "country", "GB"));
    return body;
  }

  public static List<Map<String, Object>> lines(Object... skuQuantities) {
    List<Map<String, Object>> lines = new ArrayList<>();
    for (int i = 0; i < skuQuantities.length; i += 2) {
      lines.add(Map.of("sku", skuQuantities[i], "quantity", skuQuantities[i + 1]));
    }
    return lines;
  }

  /** Places an order (202) and returns its id. */
  public static String place(Map<String, Object> order) {
    return json().body(order).post("/api/v1/orders").then().statusCode(202).extract().path("id");
  }

  public static String status(String id) {
    return json().get("/api/v1/orders/{id}", id).then().statusCode(200).extract().path("status");
  }

  /** Waits until the order settles in {@code expected}. */
  public static void awaitStatus(String id, String expected) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                org.assertj.core.api.Assertions.assertThat(status(id))
                    .as("status of order %s", id)
                    .isEqualTo(expected));
  }

  /**
   * A channel whose orders are allocated from {@code locations}, best first, as channel-sync
   * announces it.
   */
  public static String channel(boolean allowSplit, String... locations) throws Exception {
    String code = StockService.unique("CH");
    Map<String, Object> envelope =
        Messages.envelope(
            "channel-sync.channel.changed",
            "onhand/channel-sync",
            Map.of(
                "code",
                code,
                "type",
                "SHOPIFY",
                "eligibleLocations",
                List.of(locations),
                "allowSplit",
                allowSplit,
                "updatedAt",
                Instant.now().toString()));
    envelope.put("subject", code);
    try (Broker broker = new Broker()) {
      broker.publish(
          "onhand.channel-sync", "channel-sync.channel.changed", Broker.json(envelope), Map.of());
    }
    Jdbc db = Jdbc.ofApplication();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                db.scalar("SELECT count(*) FROM channel_location WHERE channel = ?", code)
                    == locations.length);
    return code;
  }

  /** Waits until fulfillment has heard stock announce this many available units. */
  public static void awaitAvailable(String sku, String location, long available) {
    Jdbc db = Jdbc.ofApplication();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                db.scalar(
                        "SELECT coalesce(max(available), -1) FROM availability WHERE sku = ? AND"
                            + " location = ?",
                        sku,
                        location)
                    == available);
  }
}
