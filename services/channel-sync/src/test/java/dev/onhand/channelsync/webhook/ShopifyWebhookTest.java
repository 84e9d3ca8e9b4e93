package dev.onhand.channelsync.webhook;

import static dev.onhand.channelsync.webhook.Webhooks.CANCELLED;
import static dev.onhand.channelsync.webhook.Webhooks.EXCHANGE;
import static dev.onhand.channelsync.webhook.Webhooks.RECEIVED;
import static dev.onhand.channelsync.webhook.Webhooks.deliveries;
import static dev.onhand.channelsync.webhook.Webhooks.delivery;
import static dev.onhand.channelsync.webhook.Webhooks.ofChannel;
import static dev.onhand.channelsync.webhook.Webhooks.orders;
import static dev.onhand.channelsync.webhook.Webhooks.published;
import static dev.onhand.channelsync.webhook.Webhooks.shopify;
import static dev.onhand.channelsync.webhook.Webhooks.shopifyHmac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Concurrently;
import dev.onhand.platform.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Shopify's orders/create and orders/cancelled webhooks, verified by X-Shopify-Hmac-Sha256 and
 * X-Shopify-Triggered-At, become one channel-sync.order.received / .order.cancelled each, however
 * often and in whatever order Shopify delivers them; a forged, altered or replayed one changes
 * nothing.
 */
@QuarkusTest
class ShopifyWebhookTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static String orderId() {
    return String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE));
  }

  /** Shopify's order JSON (the fields channel-sync reads, and some it does not). */
  private static String order(String id, String lines) {
    return "{\"id\":"
        + id
        + ",\"name\":\"#1001\",\"email\":\"ada@example.com\",\"currency\":\"CAD\","
        + "\"line_items\":["
        + lines
        + "],\"shipping_address\":{\"name\":\"Ada Lovelace\",\"address1\":\"1 Main St\","
        + "\"city\":\"Ottawa\",\"zip\":\"K1A 0B1\",\"country_code\":\"CA\"},"
        + "\"cancel_reason\":null}";
  }

  private static String line(String sku, int quantity) {
    return "{\"id\":"
        + ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE)
        + ",\"sku\":"
        + (sku == null ? "null" : "\"" + sku + "\"")
        + ",\"quantity\":"
        + quantity
        + ",\"title\":\"Item\",\"price\":\"9.99\"}";
  }

  private static String cancelled(String id, String reason) {
    return "{\"id\":" + id + ",\"cancel_reason\":\"" + reason + "\",\"line_items\":[]}";
  }

  @Test
  void anOrderBecomesOneOrderReceivedHoweverOftenItIsDelivered() throws Exception {
    String channel = Webhooks.shopifyChannel();
    String sku = StockEvents.item();
    String aliased = StockEvents.item();
    // a listing whose id is the SKU the shop uses stands for its Onhand SKU
    String shopSku = "SHOP-" + aliased;
    Channels.listing(channel, sku);
    Channels.listing(channel, aliased, Map.of("listingId", shopSku));
    String id = orderId();
    String body =
        order(
            id,
            line(sku, 2)
                + ","
                + line(null, 1)
                + ","
                + line(shopSku, 1)
                + ","
                + line(sku, 1)
                + ","
                + line("UNLISTED-9", 4));
    String webhookId = delivery();
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap(EXCHANGE, "channel-sync.order.*")) {
      shopify(channel, "orders/create", webhookId, body)
          .statusCode(200)
          .body("outcome", equalTo("PUBLISHED"))
          .body("channelOrderId", equalTo(id));
      Broker.Received received = tap.await(ofChannel(channel), WAIT);

      assertThat(received.type()).isEqualTo(RECEIVED);
      assertThat(MessageSchemas.violations(received.envelope()))
          .as("valid against its schema: %s", received.raw())
          .isEmpty();
      assertThat(received.properties().getMessageId())
          .isEqualTo(received.envelope().path("id").asText());
      assertThat(received.envelope().path("source").asText()).isEqualTo("onhand/channel-sync");
      assertThat(received.envelope().path("subject").asText()).isEqualTo(channel + ":" + id);
      JsonNode data = received.data();
      assertThat(data.path("channel").asText()).isEqualTo(channel);
      assertThat(data.path("channelOrderId").isTextual()).isTrue();
      assertThat(data.path("channelOrderId").asText()).isEqualTo(id);
      // the gift card (no SKU) is left out, a SKU on two lines is summed, the shop's SKU mapped
      // through its listing, an unlisted one passed on as it is
      assertThat(data.path("lines").toString())
          .isEqualTo(
              "[{\"sku\":\""
                  + sku
                  + "\",\"quantity\":3},{\"sku\":\""
                  + aliased
                  + "\",\"quantity\":1},{\"sku\":\"UNLISTED-9\",\"quantity\":4}]");
      assertThat(data.path("shipTo").path("city").asText()).isEqualTo("Ottawa");
      assertThat(data.path("shipTo").path("name").asText()).isEqualTo("Ada Lovelace");

      // Shopify retries the same delivery: recognised, nothing new
      for (int i = 0; i < 2; i++) {
        shopify(channel, "orders/create", webhookId, body)
            .statusCode(200)
            .body("outcome", equalTo("DUPLICATE"))
            .body("messageId", nullValue());
      }
      // the same order under another delivery id (a second subscription): still one order
      shopify(channel, "orders/create", delivery(), body)
          .statusCode(200)
          .body("outcome", equalTo("DUPLICATE_ORDER"));

      assertThat(published(tap, channel)).isEmpty();
      assertThat(deliveries(channel)).isEqualTo(2);
      assertThat(orders(channel)).isEqualTo(1);
    }
  }

  @Test
  void deliveriesArrivingAtOnceStillMakeOneOrder() throws Exception {
    String channel = Webhooks.shopifyChannel();
    String body = order(orderId(), line("SKU-CONCURRENT", 1));
    String webhookId = delivery();
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap(EXCHANGE, "channel-sync.order.*")) {
      List<String> outcomes =
          Concurrently.run(
              6,
              i ->
                  () ->
                      shopify(channel, "orders/create", i % 2 == 0 ? webhookId : delivery(), body)
                          .statusCode(200)
                          .extract()
                          .path("outcome"));
      assertThat(outcomes).containsOnlyOnce("PUBLISHED");
      tap.await(ofChannel(channel), WAIT);
      assertThat(published(tap, channel)).isEmpty();
      assertThat(orders(channel)).isEqualTo(1);
    }
  }

  @Test
  void aCancellationIsPassedOnEvenBeforeItsOrder() throws Exception {
    String channel = Webhooks.shopifyChannel();
    String id = orderId();
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap(EXCHANGE, "channel-sync.order.*")) {
      // out of order: the cancellation first
      shopify(channel, "orders/cancelled", delivery(), cancelled(id, "customer"))
          .statusCode(200)
          .body("outcome", equalTo("PUBLISHED"));
      Broker.Received cancellation = tap.await(ofChannel(channel), WAIT);
      assertThat(cancellation.type()).isEqualTo(CANCELLED);
      assertThat(MessageSchemas.violations(cancellation.envelope()))
          .as("valid against its schema: %s", cancellation.raw())
          .isEmpty();
      assertThat(cancellation.envelope().path("subject").asText()).isEqualTo(channel + ":" + id);
      assertThat(cancellation.data().path("channelOrderId").asText()).isEqualTo(id);
      assertThat(cancellation.data().path("reason").asText()).isEqualTo("customer");

      shopify(channel, "orders/create", delivery(), order(id, line("SKU-LATE", 2)))
          .statusCode(200)
          .body("outcome", equalTo("PUBLISHED"));
      Broker.Received order = tap.await(ofChannel(channel), WAIT);
      assertThat(order.type()).isEqualTo(RECEIVED);
      assertThat(order.data().path("channelOrderId").asText()).isEqualTo(id);

      // the cancellation again, under another delivery id: once is enough
      shopify(channel, "orders/cancelled", delivery(), cancelled(id, "customer"))
          .statusCode(200)
          .body("outcome", equalTo("DUPLICATE_ORDER"));
      assertThat(published(tap, channel)).isEmpty();
    }
  }

  @Test
  void otherTopicsAreRecordedAndIgnored() throws Exception {
    String channel = Webhooks.shopifyChannel();
    String webhookId = delivery();
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap(EXCHANGE, "channel-sync.order.*")) {
      shopify(channel, "orders/updated", webhookId, order(orderId(), line("SKU-1", 1)))
          .statusCode(200)
          .body("outcome", equalTo("IGNORED"));
      // an order with nothing to fill (a gift card alone) reaches nobody either
      shopify(channel, "orders/create", delivery(), order(orderId(), line(null, 1)))
          .statusCode(200)
          .body("outcome", equalTo("IGNORED"));
      assertThat(published(tap, channel)).isEmpty();
    }
    assertThat(
            Jdbc.ofApplication()
                .text(
                    "SELECT topic || ':' || outcome FROM webhook_delivery WHERE channel = ? AND"
                        + " delivery_id = ?",
                    channel,
                    webhookId))
        .isEqualTo("orders/updated:IGNORED");
    assertThat(orders(channel)).isZero();
  }

  @Test
  void forgedAlteredOrReplayedWebhooksAreRefusedAndChangeNothing() throws Exception {
    String channel = Webhooks.shopifyChannel();
    String body = order(orderId(), line("SKU-1", 1));
    String other = order(orderId(), line("SKU-1", 5));
    Map<String, String> forged =
        Map.of("X-Shopify-Hmac-Sha256", shopifyHmac("not-the-secret", body));
    Map<String, String> missing = new HashMap<>();
    missing.put("X-Shopify-Hmac-Sha256", null);
    // signed, then altered on the way
    Map<String, String> altered =
        Map.of("X-Shopify-Hmac-Sha256", shopifyHmac(Channels.SECRET, other));
    Map<String, String> old =
        Map.of("X-Shopify-Triggered-At", Instant.now().minus(Duration.ofMinutes(6)).toString());
    Map<String, String> future =
        Map.of("X-Shopify-Triggered-At", Instant.now().plus(Duration.ofMinutes(6)).toString());
    Map<String, String> noTime = new HashMap<>();
    noTime.put("X-Shopify-Triggered-At", null);
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap(EXCHANGE, "channel-sync.order.*")) {
      for (Map<String, String> headers : List.of(forged, missing, altered)) {
        refused(shopify(channel, "orders/create", delivery(), body, headers), 401)
            .body("code", equalTo("WEBHOOK_SIGNATURE_INVALID"));
      }
      for (Map<String, String> headers : List.of(old, future, noTime)) {
        refused(shopify(channel, "orders/create", delivery(), body, headers), 401)
            .body("code", equalTo("WEBHOOK_OUTSIDE_WINDOW"));
      }
      assertThat(published(tap, channel)).isEmpty();
      assertThat(deliveries(channel)).isZero();

      // the same delivery, genuine and on time, goes through: the refusals kept nothing of it
      shopify(channel, "orders/create", delivery(), body)
          .statusCode(200)
          .body("outcome", equalTo("PUBLISHED"));
      assertThat(
              tap.await(ofChannel(channel), WAIT)
                  .data()
                  .path("lines")
                  .get(0)
                  .path("quantity")
                  .asLong())
          .isEqualTo(1);
    }
  }

  @Test
  void badBodiesAreRefusedAndChangeNothing() throws Exception {
    String channel = Webhooks.shopifyChannel();
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap(EXCHANGE, "channel-sync.order.*")) {
      refused(shopify(channel, "orders/create", delivery(), "{\"id\": 12, \"line_items\": ["), 400)
          .body("code", equalTo("MALFORMED_JSON"));
      refused(shopify(channel, "orders/create", delivery(), order("null", line("SKU-1", 1))), 400)
          .body("code", equalTo("VALIDATION_FAILED"))
          .body("errors[0].field", equalTo("id"));
      refused(
              shopify(channel, "orders/create", delivery(), order(orderId(), line("SKU-1", 0))),
              400)
          .body("code", equalTo("VALIDATION_FAILED"))
          .body("errors[0].code", equalTo("INVALID_QUANTITY"));
      // a SKU Onhand cannot name and no listing maps: the shop retries once a listing maps it
      refused(
              shopify(
                  channel,
                  "orders/create",
                  delivery(),
                  order(orderId(), line("Blue shirt / L", 1))),
              422)
          .body("code", equalTo("WEBHOOK_SKU_UNMAPPED"))
          .body("errors[0].field", equalTo("line_items[0].sku"));
      refused(
              shopify(channel, "orders/create", null, order(orderId(), line("SKU-1", 1)), Map.of()),
              400)
          .body("code", equalTo("WEBHOOK_DELIVERY_ID_MISSING"));
      assertThat(published(tap, channel)).isEmpty();
    }
    assertThat(deliveries(channel)).isZero();
  }

  @Test
  void aBodyOverTheLimitOrAnUnreadableSecretChangesNothing() {
    String channel = Webhooks.shopifyChannel();
    // under the server's own limit, over the webhooks' one
    String large =
        order(orderId(), line("SKU-1", 1) + ",{\"note\":\"" + "x".repeat(300_000) + "\"}");
    refused(shopify(channel, "orders/create", delivery(), large), 413)
        .body("code", equalTo("PAYLOAD_TOO_LARGE"));
    assertThat(deliveries(channel)).isZero();

    // a channel configured without webhookSecret cannot verify anything: the sender retries later
    String unverifiable = StockEvents.unique("SHOPIFY");
    Channels.put(
        unverifiable,
        Map.of(
            "type",
            "SHOPIFY",
            "endpoint",
            "http://127.0.0.1:9/shopify",
            "credentials",
            Map.of("accessToken", Channels.SECRET_REFERENCE),
            "settings",
            Map.of("shopifyLocationId", "123"),
            "eligibleLocations",
            List.of(StockEvents.location())),
        201);
    refused(
            shopify(unverifiable, "orders/create", delivery(), order(orderId(), line("SKU-1", 1))),
            503)
        .body("code", equalTo("WEBHOOK_SECRET_UNAVAILABLE"));
    assertThat(deliveries(unverifiable)).isZero();
  }

  @Test
  void onlyShopifyChannelsTakeShopifyWebhooks() {
    String body = order(orderId(), line("SKU-1", 1));
    refused(shopify(StockEvents.unique("NOPE"), "orders/create", delivery(), body), 404)
        .body("code", equalTo("CHANNEL_NOT_FOUND"));
    String generic = Webhooks.genericChannel();
    refused(shopify(generic, "orders/create", delivery(), body), 404)
        .body("code", equalTo("CHANNEL_NOT_FOUND"));
    assertThat(deliveries(generic)).isZero();
  }

  static io.restassured.response.ValidatableResponse refused(
      io.restassured.response.ValidatableResponse response, int status) {
    return response.statusCode(status).contentType("application/problem+json");
  }
}
