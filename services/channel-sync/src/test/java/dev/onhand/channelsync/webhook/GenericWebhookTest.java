package dev.onhand.channelsync.webhook;

import static dev.onhand.channelsync.webhook.ShopifyWebhookTest.refused;
import static dev.onhand.channelsync.webhook.Webhooks.CANCELLED;
import static dev.onhand.channelsync.webhook.Webhooks.EXCHANGE;
import static dev.onhand.channelsync.webhook.Webhooks.RECEIVED;
import static dev.onhand.channelsync.webhook.Webhooks.deliveries;
import static dev.onhand.channelsync.webhook.Webhooks.delivery;
import static dev.onhand.channelsync.webhook.Webhooks.generic;
import static dev.onhand.channelsync.webhook.Webhooks.ofChannel;
import static dev.onhand.channelsync.webhook.Webhooks.orders;
import static dev.onhand.channelsync.webhook.Webhooks.published;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.platform.signature.Signatures;
import dev.onhand.platform.testing.Broker;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Signed generic order webhooks ({@code X-Onhand-Signature} over {@code <timestamp>.<body>}) become
 * one channel-sync.order.received / .order.cancelled each; a forged, altered or replayed one
 * changes nothing.
 */
@QuarkusTest
class GenericWebhookTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static String created(String orderId, String sku, int quantity) {
    return "{\"type\":\"order.created\",\"orderId\":\""
        + orderId
        + "\",\"lines\":[{\"sku\":\""
        + sku
        + "\",\"quantity\":"
        + quantity
        + "}],\"shipTo\":{\"name\":\"Grace Hopper\",\"city\":\"Arlington\"}}";
  }

  private static String cancelled(String orderId) {
    return "{\"type\":\"order.cancelled\",\"orderId\":\"" + orderId + "\",\"reason\":\"fraud\"}";
  }

  private static String orderId() {
    return "ORD-" + UUID.randomUUID();
  }

  @Test
  void anOrderBecomesOneOrderReceivedHoweverOftenItIsDelivered() throws Exception {
    String channel = Webhooks.genericChannel();
    String id = orderId();
    String body = created(id, "SKU-G1", 7);
    String deliveryId = delivery();
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap(EXCHANGE, "channel-sync.order.*")) {
      for (int i = 0; i < 3; i++) {
        generic(channel, deliveryId, body)
            .statusCode(200)
            .body("outcome", equalTo(i == 0 ? "PUBLISHED" : "DUPLICATE"))
            .body("channelOrderId", equalTo(id));
      }
      generic(channel, delivery(), body)
          .statusCode(200)
          .body("outcome", equalTo("DUPLICATE_ORDER"));

      Broker.Received received = tap.await(ofChannel(channel), WAIT);
      assertThat(received.type()).isEqualTo(RECEIVED);
      assertThat(MessageSchemas.violations(received.envelope()))
          .as("valid against its schema: %s", received.raw())
          .isEmpty();
      assertThat(received.envelope().path("subject").asText()).isEqualTo(channel + ":" + id);
      assertThat(received.data().path("channelOrderId").asText()).isEqualTo(id);
      assertThat(received.data().path("lines").toString())
          .isEqualTo("[{\"sku\":\"SKU-G1\",\"quantity\":7}]");
      assertThat(received.data().path("shipTo").path("name").asText()).isEqualTo("Grace Hopper");
      assertThat(published(tap, channel)).isEmpty();
      assertThat(deliveries(channel)).isEqualTo(2);
      assertThat(orders(channel)).isEqualTo(1);
    }
  }

  @Test
  void aCancellationBeforeItsOrderIsPassedOnAsItCame() throws Exception {
    String channel = Webhooks.genericChannel();
    String id = orderId();
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap(EXCHANGE, "channel-sync.order.*")) {
      generic(channel, delivery(), cancelled(id))
          .statusCode(200)
          .body("outcome", equalTo("PUBLISHED"));
      Broker.Received cancellation = tap.await(ofChannel(channel), WAIT);
      assertThat(cancellation.type()).isEqualTo(CANCELLED);
      assertThat(MessageSchemas.violations(cancellation.envelope()))
          .as("valid against its schema: %s", cancellation.raw())
          .isEmpty();
      assertThat(cancellation.data().path("reason").asText()).isEqualTo("fraud");

      generic(channel, delivery(), created(id, "SKU-G2", 1))
          .statusCode(200)
          .body("outcome", equalTo("PUBLISHED"));
      Broker.Received order = tap.await(ofChannel(channel), WAIT);
      assertThat(order.type()).isEqualTo(RECEIVED);
      assertThat(order.data().path("channelOrderId").asText()).isEqualTo(id);
      assertThat(published(tap, channel)).isEmpty();
      assertThat(orders(channel)).isEqualTo(2);
    }
  }

  @Test
  void forgedAlteredOrReplayedWebhooksAreRefusedAndChangeNothing() throws Exception {
    String channel = Webhooks.genericChannel();
    String body = created(orderId(), "SKU-G3", 1);
    long now = Instant.now().getEpochSecond();
    String signedNow =
        Signatures.header(Channels.SECRET, (now + "." + body).getBytes(StandardCharsets.UTF_8));
    Map<String, String> forged =
        Map.of(
            Signatures.HEADER,
            Signatures.header(
                "not-the-secret", (now + "." + body).getBytes(StandardCharsets.UTF_8)),
            "X-Onhand-Timestamp",
            String.valueOf(now));
    Map<String, String> missing = new HashMap<>();
    missing.put(Signatures.HEADER, null);
    // the body alone signed, as the outbound pushes are: the timestamp must be covered too
    Map<String, String> bodyOnly =
        Map.of(
            Signatures.HEADER,
            Signatures.header(Channels.SECRET, body.getBytes(StandardCharsets.UTF_8)));
    // a genuine signature with a newer timestamp put in its place
    Map<String, String> retimed =
        Map.of(Signatures.HEADER, signedNow, "X-Onhand-Timestamp", String.valueOf(now + 1));
    String old = String.valueOf(now - Duration.ofMinutes(6).toSeconds());
    String future = String.valueOf(now + Duration.ofMinutes(6).toSeconds());
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap(EXCHANGE, "channel-sync.order.*")) {
      for (Map<String, String> headers : List.of(forged, missing, bodyOnly, retimed)) {
        refused(generic(channel, delivery(), body, headers), 401)
            .body("code", equalTo("WEBHOOK_SIGNATURE_INVALID"));
      }
      // signed with the secret over the body sent, but altered after signing
      refused(
              generic(
                  channel,
                  delivery(),
                  created(orderId(), "SKU-G3", 9),
                  Map.of(Signatures.HEADER, signedNow, "X-Onhand-Timestamp", String.valueOf(now))),
              401)
          .body("code", equalTo("WEBHOOK_SIGNATURE_INVALID"));
      // correctly signed, but sent long ago or dated ahead
      for (String timestamp : List.of(old, future, "yesterday")) {
        refused(generic(channel, delivery(), body, Map.of("X-Onhand-Timestamp", timestamp)), 401)
            .body("code", equalTo("WEBHOOK_OUTSIDE_WINDOW"));
      }
      assertThat(published(tap, channel)).isEmpty();
      assertThat(deliveries(channel)).isZero();

      generic(channel, delivery(), body).statusCode(200).body("outcome", equalTo("PUBLISHED"));
      assertThat(tap.await(ofChannel(channel), WAIT).type()).isEqualTo(RECEIVED);
    }
  }

  @Test
  void badBodiesAreRefusedAndChangeNothing() throws Exception {
    String channel = Webhooks.genericChannel();
    Map<String, String> noDelivery = new HashMap<>();
    noDelivery.put("X-Onhand-Delivery", null);
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap(EXCHANGE, "channel-sync.order.*")) {
      refused(generic(channel, delivery(), "{\"type\": \"order.created\","), 400)
          .body("code", equalTo("MALFORMED_JSON"));
      refused(
              generic(
                  channel,
                  delivery(),
                  "{\"type\":\"order.shipped\",\"orderId\":\"\",\"lines\":[{\"sku\":\"bad sku\","
                      + "\"quantity\":0}],\"extra\":1}"),
              400)
          .body("code", equalTo("VALIDATION_FAILED"))
          .body("errors.field", hasItem("extra"))
          .body("errors.field", hasItem("type"))
          .body("errors.field", hasItem("orderId"))
          .body("errors.field", hasItem("lines[0].sku"))
          .body("errors.field", hasItem("lines[0].quantity"));
      refused(
              generic(
                  channel,
                  delivery(),
                  "{\"type\":\"order.created\",\"orderId\":\"X\",\"lines\":[]}"),
              400)
          .body("errors.field", hasItem("lines"));
      refused(generic(channel, null, created(orderId(), "SKU-G4", 1), noDelivery), 400)
          .body("code", equalTo("WEBHOOK_DELIVERY_ID_MISSING"));
      assertThat(published(tap, channel)).isEmpty();
    }
    assertThat(deliveries(channel)).isZero();
  }

  @Test
  void onlyGenericChannelsTakeGenericWebhooks() {
    String body = created(orderId(), "SKU-G5", 1);
    refused(generic(StockEvents.unique("NOPE"), delivery(), body), 404)
        .body("code", equalTo("CHANNEL_NOT_FOUND"));
    String shopify = Webhooks.shopifyChannel();
    refused(generic(shopify, delivery(), body), 404).body("code", equalTo("CHANNEL_NOT_FOUND"));
    assertThat(deliveries(shopify)).isZero();
  }
}
