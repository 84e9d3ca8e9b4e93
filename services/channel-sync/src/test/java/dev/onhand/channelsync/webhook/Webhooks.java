package dev.onhand.channelsync.webhook;

import static io.restassured.RestAssured.given;

import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.platform.signature.Signatures;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** Channels that send order webhooks, and their deliveries signed as the channels sign them. */
final class Webhooks {
  static final String EXCHANGE = "onhand.channel-sync";
  static final String RECEIVED = "channel-sync.order.received";
  static final String CANCELLED = "channel-sync.order.cancelled";

  private Webhooks() {}

  /** A SHOPIFY channel whose webhook secret is {@link Channels#SECRET}. */
  static String shopifyChannel() {
    Channels.mountSecret();
    String code = StockEvents.unique("SHOPIFY");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "SHOPIFY");
    // pushes go nowhere: these tests only send webhooks in
    body.put("endpoint", "http://127.0.0.1:9/shopify");
    body.put(
        "credentials",
        Map.of(
            "accessToken",
            Channels.SECRET_REFERENCE,
            WebhookService.SHOPIFY_SECRET,
            Channels.SECRET_REFERENCE));
    body.put("settings", Map.of("shopifyLocationId", "123"));
    body.put("eligibleLocations", List.of(StockEvents.location()));
    Channels.put(code, body, 201);
    return code;
  }

  /** A GENERIC_WEBHOOK channel whose secret is {@link Channels#SECRET}. */
  static String genericChannel() {
    String code = StockEvents.unique("HOOK");
    Map<String, Object> body = Channels.webhook(code, List.of(StockEvents.location()));
    body.put("endpoint", "http://127.0.0.1:9/hook");
    Channels.put(code, body, 201);
    return code;
  }

  /** Shopify's X-Shopify-Hmac-Sha256: base64 of the HMAC-SHA256 of the body. */
  static String shopifyHmac(String secret, String body) {
    return Base64.getEncoder()
        .encodeToString(
            HexFormat.of()
                .parseHex(Signatures.hmacSha256(secret, body.getBytes(StandardCharsets.UTF_8))));
  }

  /** A Shopify delivery as Shopify sends it; {@code headers} replace or (null) remove its own. */
  static ValidatableResponse shopify(
      String channel, String topic, String webhookId, String body, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("X-Shopify-Topic", topic);
    all.put("X-Shopify-Webhook-Id", webhookId);
    all.put("X-Shopify-Triggered-At", Instant.now().toString());
    all.put("X-Shopify-Shop-Domain", "onhand-test.myshopify.com");
    all.put(WebhookSignatures.SHOPIFY_HEADER, shopifyHmac(Channels.SECRET, body));
    all.putAll(headers);
    var request = given().contentType("application/json").body(body);
    for (Map.Entry<String, String> header : all.entrySet()) {
      if (header.getValue() != null) {
        request = request.header(header.getKey(), header.getValue());
      }
    }
    return request.post("/webhooks/shopify/{channel}", channel).then();
  }

  static ValidatableResponse shopify(String channel, String topic, String webhookId, String body) {
    return shopify(channel, topic, webhookId, body, Map.of());
  }

  /** A generic delivery signed over {@code <timestamp>.<body>}; {@code headers} as above. */
  static ValidatableResponse generic(
      String channel, String deliveryId, String body, Map<String, String> headers) {
    String timestamp =
        headers.containsKey("X-Onhand-Timestamp")
            ? headers.get("X-Onhand-Timestamp")
            : String.valueOf(Instant.now().getEpochSecond());
    Map<String, String> all = new LinkedHashMap<>();
    all.put("X-Onhand-Timestamp", timestamp);
    all.put("X-Onhand-Delivery", deliveryId);
    all.put(
        Signatures.HEADER,
        Signatures.header(
            Channels.SECRET, (timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    all.putAll(headers);
    var request = given().contentType("application/json").body(body);
    for (Map.Entry<String, String> header : all.entrySet()) {
      if (header.getValue() != null) {
        request = request.header(header.getKey(), header.getValue());
      }
    }
    return request.post("/webhooks/generic/{channel}", channel).then();
  }

  static ValidatableResponse generic(String channel, String deliveryId, String body) {
    return generic(channel, deliveryId, body, Map.of());
  }

  static String delivery() {
    return UUID.randomUUID().toString();
  }

  static Predicate<Broker.Received> ofChannel(String channel) {
    return r -> r.data().path("channel").asText().equals(channel);
  }

  /**
   * What the tap got for {@code channel}, after a short quiet spell (absence cannot be awaited).
   */
  static List<Broker.Received> published(Broker.Tap tap, String channel)
      throws InterruptedException {
    return tap.drain(Duration.ofMillis(700)).stream().filter(ofChannel(channel)).toList();
  }

  static long deliveries(String channel) {
    return Jdbc.ofApplication()
        .scalar("SELECT count(*) FROM webhook_delivery WHERE channel = ?", channel);
  }

  static long orders(String channel) {
    return Jdbc.ofApplication()
        .scalar("SELECT count(*) FROM webhook_order WHERE channel = ?", channel);
  }
}
