package dev.onhand.e2e.faults;

import dev.onhand.channelsync.stub.ShopifyStub;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * S3 and R6 through the gateway, against a Shopify channel whose API a local stub plays: webhooks
 * with a forged or missing signature, an altered body, or replayed outside their window are 401 and
 * create nothing; valid order and cancellation webhooks delivered several times, under new delivery
 * ids and cancellations before their orders, in shuffled order, give one order each; and after a
 * burst of stock changes the channel holds the newest quantity (no stale one last).
 */
final class WebhooksAbused implements Faults.Scenario {
  static final String TOKEN_ENV = "ONHAND_CHANNEL_FAULTS_SHOPIFY_TOKEN";
  static final String HOOKS_ENV = "ONHAND_CHANNEL_FAULTS_SHOPIFY_HOOKS";
  private static final int ORDERS = 20;
  private final Suite suite;

  WebhooksAbused(Suite suite) {
    this.suite = suite;
  }

  @Override
  public Outcome run() throws Exception {
    Outcome outcome = new Outcome();
    String secret = System.getenv(HOOKS_ENV);
    try (ShopifyStub shopify = new ShopifyStub().start()) {
      shopify.accessToken(System.getenv(TOKEN_ENV));
      String location = suite.location();
      String sku = suite.item();
      suite.adjust(sku, location, 1000);
      String code = Suite.unique("SHOP");
      Map<String, Object> channel = new HashMap<>();
      channel.put("type", "SHOPIFY");
      channel.put("endpoint", shopify.url().toString());
      channel.put("settings", shopify.settings());
      channel.put(
          "credentials",
          Map.of("accessToken", "env:" + TOKEN_ENV, "webhookSecret", "env:" + HOOKS_ENV));
      channel.put("eligibleLocations", List.of(location));
      Suite.awaitTrue(
          () -> suite.api.send("PUT", "/api/v1/channels/" + code, channel).status() == 201,
          30,
          "the channel is accepted");
      String listing = "gid://shopify/InventoryItem/" + Math.abs(sku.hashCode());
      shopify.listing(listing, 0);
      Suite.require(
          suite.api.send(
              "PUT", "/api/v1/channels/" + code + "/listings/" + sku, Map.of("listingId", listing)),
          201);

      // S3: every bad signature or time is 401 and leaves nothing behind
      long deliveriesBefore = deliveries(code);
      byte[] body = order(900, sku);
      String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
      String old = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10).toString();
      List<Http.Reply> refused = new ArrayList<>();
      refused.add(
          send(code, "orders/create", "s3-forged", body, sign(body, "not-the-secret"), now));
      refused.add(send(code, "orders/create", "s3-missing", body, null, now));
      byte[] altered = order(900, sku);
      altered[altered.length - 2] = (byte) ' ';
      refused.add(send(code, "orders/create", "s3-altered", altered, sign(body, secret), now));
      refused.add(send(code, "orders/create", "s3-replayed", body, sign(body, secret), old));
      for (Http.Reply reply : refused) {
        outcome.operations++;
        if (reply.status() != 401) {
          outcome.unexpected++;
          outcome.notes.add("bad webhook answered " + reply.status());
        }
      }
      outcome.check(deliveries(code) == deliveriesBefore, "no delivery recorded for a bad webhook");

      // R6: duplicates, new delivery ids for the same order, cancellations before their orders
      List<Runnable> deliveries = new ArrayList<>();
      for (int i = 0; i < ORDERS; i++) {
        long id = 1000 + i;
        byte[] create = order(id, sku);
        for (int copy = 0; copy < 3; copy++) {
          deliveries.add(
              () -> send(code, "orders/create", "c-" + id, create, sign(create, secret), stamp()));
        }
        deliveries.add(
            () -> send(code, "orders/create", "c2-" + id, create, sign(create, secret), stamp()));
        if (i % 4 == 0) {
          deliveries.add(
              () ->
                  send(code, "orders/cancelled", "x-" + id, create, sign(create, secret), stamp()));
          deliveries.add(
              () ->
                  send(code, "orders/cancelled", "x-" + id, create, sign(create, secret), stamp()));
        }
      }
      Collections.shuffle(deliveries, new Random(6));
      for (Runnable delivery : deliveries) {
        delivery.run();
        outcome.operations++;
      }
      Suite.awaitTrue(
          () ->
              suite.scalar(
                      "fulfillment", "SELECT count(*) FROM customer_order WHERE channel = ?", code)
                  >= ORDERS,
          60,
          "every order placed");
      Suite.sleep(3000);
      long orders =
          suite.scalar(
              "fulfillment", "SELECT count(*) FROM customer_order WHERE channel = ?", code);
      outcome.lost += Math.max(0, ORDERS - orders);
      outcome.duplicated += Math.max(0, orders - ORDERS);
      try {
        Suite.awaitTrue(
            () ->
                suite.scalar(
                        "fulfillment",
                        "SELECT count(*) FROM customer_order WHERE channel = ? AND status = 'CANCELLED'",
                        code)
                    == ORDERS / 4,
            60,
            "the cancellations applied");
      } catch (IllegalStateException e) {
        outcome.check(false, "every cancelled order CANCELLED, the others not");
      }

      // stale versions: after a burst of changes the channel shows the newest number
      for (int i = 0; i < 30; i++) {
        suite.adjust(sku, location, i % 2 == 0 ? 7 : -3);
      }
      long available =
          suite.scalar(
              "stock",
              "SELECT available FROM balance WHERE sku = ? AND location = ?",
              sku,
              location);
      try {
        Suite.awaitTrue(
            () -> Long.valueOf(available).equals(shopify.quantity(listing)),
            60,
            "the newest quantity");
      } catch (IllegalStateException e) {
        outcome.check(
            false, "the channel ends at " + available + ", shows " + shopify.quantity(listing));
      }
      outcome.notes.add("pushes received by the Shopify stub: " + shopify.applied().size());
    }
    suite.checkStock(outcome);
    return outcome;
  }

  private long deliveries(String code) {
    return suite.scalar(
        "channel-sync", "SELECT count(*) FROM webhook_delivery WHERE channel = ?", code);
  }

  private static String stamp() {
    return OffsetDateTime.now(ZoneOffset.UTC).toString();
  }

  private static byte[] order(long id, String sku) {
    return ("{\"id\":"
            + id
            + ",\"line_items\":[{\"sku\":\""
            + sku
            + "\",\"quantity\":1}],\"shipping_address\":{\"city\":\"Lyon\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String sign(byte[] body, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Http.Reply send(
      String code, String topic, String delivery, byte[] body, String signature, String at) {
    Map<String, String> headers = new HashMap<>();
    headers.put("X-Shopify-Topic", topic);
    headers.put("X-Shopify-Webhook-Id", code + "-" + delivery);
    headers.put("X-Shopify-Triggered-At", at);
    if (signature != null) {
      headers.put("X-Shopify-Hmac-Sha256", signature);
    }
    return suite.anonymous.sendBytes("POST", "/webhooks/shopify/" + code, body, headers);
  }
}
