package dev.onhand.channelsync.adapter.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.channelsync.adapter.ChannelTarget;
import dev.onhand.channelsync.adapter.PushResult;
import dev.onhand.channelsync.adapter.PushResult.Outcome;
import dev.onhand.channelsync.adapter.QuantityPush;
import dev.onhand.channelsync.adapter.http.ChannelHttp;
import dev.onhand.channelsync.stub.MarketplaceStub;
import dev.onhand.channelsync.stub.RecordedRequest;
import dev.onhand.channelsync.stub.ShopifyStub;
import dev.onhand.channelsync.support.StubTargets;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShopifyAdapterTest {

  static final String SOCKS = "gid://shopify/InventoryItem/1001";
  static final String BOOTS = "gid://shopify/InventoryItem/1002";
  static final String HATS = "gid://shopify/InventoryItem/1003";

  static Vertx vertx;
  static ShopifyStub shop;

  ShopifyAdapter adapter;
  ChannelTarget channel;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    shop = new ShopifyStub().start();
  }

  @AfterAll
  static void stop() {
    shop.close();
    vertx.closeAndAwait();
  }

  @BeforeEach
  void freshChannel() {
    shop.reset();
    adapter = new ShopifyAdapter(new ChannelHttp(vertx, Duration.ofSeconds(2)));
    channel = StubTargets.target(shop, "shopify-" + UUID.randomUUID());
  }

  @Test
  void setsTheAvailableQuantityWithCompareAndSetAndAnIdempotencyKey() {
    shop.listing(SOCKS, 5);

    PushResult result = push(new QuantityPush("SOCKS", SOCKS, 7, 3, 5L, "push-socks-3"));

    assertThat(result.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(result.httpStatus()).isEqualTo(200);
    assertThat(shop.quantity(SOCKS)).isEqualTo(7);
    RecordedRequest call = only(shop.requests());
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.path()).isEqualTo("/admin/api/2026-01/graphql.json");
    assertThat(call.header("X-Shopify-Access-Token")).isEqualTo(MarketplaceStub.TOKEN);
    assertThat(call.header("Content-Type")).startsWith("application/json");
    String query = call.json().getString("query");
    assertThat(query)
        .contains("inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey)")
        .contains("userErrors { code field message }");
    JsonObject variables = call.json().getJsonObject("variables");
    assertThat(variables.getString("idempotencyKey")).isNotBlank();
    JsonObject input = variables.getJsonObject("input");
    assertThat(input.getString("name")).isEqualTo("available");
    assertThat(input.getString("reason")).isEqualTo("correction");
    assertThat(input.getString("referenceDocumentUri")).isEqualTo("onhand://push/push-socks-3");
    assertThat(input.getBoolean("ignoreCompareQuantity")).isFalse();
    assertThat(input.getJsonArray("quantities").getJsonObject(0).getMap())
        .isEqualTo(
            Map.of(
                "inventoryItemId",
                SOCKS,
                "locationId",
                ShopifyStub.LOCATION,
                "quantity",
                7,
                "compareQuantity",
                5));
  }

  @Test
  void takesNumericIdsAndTheApiVersionFromTheChannelSettings() {
    shop.listing(SOCKS, 1);
    channel =
        new ChannelTarget(
            channel.code(),
            channel.type(),
            channel.endpoint(),
            channel.credentials(),
            Map.of("shopifyLocationId", "1", "shopifyApiVersion", "2026-04"));

    PushResult result = push(new QuantityPush("SOCKS", "1001", 2, 1, 1L, "push-socks-1"));

    assertThat(result.outcome()).isEqualTo(Outcome.APPLIED);
    RecordedRequest call = only(shop.requests());
    assertThat(call.path()).isEqualTo("/admin/api/2026-04/graphql.json");
    JsonObject quantity =
        call.json()
            .getJsonObject("variables")
            .getJsonObject("input")
            .getJsonArray("quantities")
            .getJsonObject(0);
    assertThat(quantity.getString("inventoryItemId")).isEqualTo(SOCKS);
    assertThat(quantity.getString("locationId")).isEqualTo(ShopifyStub.LOCATION);
  }

  @Test
  void batchesSeveralSkusInOneCallAndSkipsTheCompareOnlyWhereNothingWasSentYet() {
    shop.listing(SOCKS, 5).listing(BOOTS, 6).listing(HATS, 40);

    List<PushResult> results =
        adapter
            .push(
                channel,
                List.of(
                    new QuantityPush("SOCKS", SOCKS, 4, 2, 5L, "socks-2"),
                    new QuantityPush("HATS", HATS, 30, 1, null, "hats-1"),
                    new QuantityPush("BOOTS", BOOTS, 0, 9, 6L, "boots-9")))
            .await()
            .atMost(Duration.ofSeconds(10));

    assertThat(results)
        .extracting(PushResult::sku, PushResult::outcome)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("SOCKS", Outcome.APPLIED),
            org.assertj.core.groups.Tuple.tuple("HATS", Outcome.APPLIED),
            org.assertj.core.groups.Tuple.tuple("BOOTS", Outcome.APPLIED));
    assertThat(shop.quantity(SOCKS)).isEqualTo(4);
    assertThat(shop.quantity(BOOTS)).isEqualTo(0);
    assertThat(shop.quantity(HATS)).isEqualTo(30);
    // ignoreCompareQuantity holds for a whole call: the compared pair goes in one, HATS alone
    List<RecordedRequest> calls = shop.requests();
    assertThat(calls).hasSize(2);
    JsonObject compared = calls.get(0).json().getJsonObject("variables").getJsonObject("input");
    assertThat(compared.getBoolean("ignoreCompareQuantity")).isFalse();
    assertThat(compared.getJsonArray("quantities")).hasSize(2);
    JsonObject uncompared = calls.get(1).json().getJsonObject("variables").getJsonObject("input");
    assertThat(uncompared.getBoolean("ignoreCompareQuantity")).isTrue();
    assertThat(
            uncompared.getJsonArray("quantities").getJsonObject(0).containsKey("compareQuantity"))
        .isFalse();
  }

  @Test
  void aStaleCompareQuantityFailsThatSkuAndAppliesNothingOfItsCall() {
    shop.listing(SOCKS, 5).listing(BOOTS, 6);
    shop.listing(SOCKS, 3); // two sold on Shopify since Onhand last sent 5

    Map<String, PushResult> results =
        bySku(
            adapter.push(
                channel,
                List.of(
                    new QuantityPush("SOCKS", SOCKS, 8, 4, 5L, "socks-4"),
                    new QuantityPush("BOOTS", BOOTS, 2, 7, 6L, "boots-7"))));

    assertThat(results.get("SOCKS").outcome()).isEqualTo(Outcome.COMPARE_FAILED);
    assertThat(results.get("SOCKS").response()).contains("COMPARE_QUANTITY_STALE");
    assertThat(results.get("BOOTS").outcome()).isEqualTo(Outcome.RETRY);
    assertThat(results.get("BOOTS").retryAfter()).isZero();
    assertThat(shop.quantity(SOCKS)).isEqualTo(3);
    assertThat(shop.quantity(BOOTS)).isEqualTo(6);

    // re-read and pushed again against what Shopify holds: a new request, applied
    Map<String, PushResult> again =
        bySku(
            adapter.push(
                channel,
                List.of(
                    new QuantityPush("SOCKS", SOCKS, 8, 4, 3L, "socks-4"),
                    new QuantityPush("BOOTS", BOOTS, 2, 7, 6L, "boots-7"))));

    assertThat(again.values()).extracting(PushResult::outcome).containsOnly(Outcome.APPLIED);
    assertThat(shop.quantity(SOCKS)).isEqualTo(8);
    assertThat(shop.quantity(BOOTS)).isEqualTo(2);
  }

  @Test
  void theSameCallAfterAFailedAttemptGoesOutUnderANewKey() {
    shop.listing(SOCKS, 3).listing(BOOTS, 6);
    List<QuantityPush> batch =
        List.of(
            new QuantityPush("SOCKS", SOCKS, 8, 4, 5L, "socks-4"),
            new QuantityPush("BOOTS", BOOTS, 2, 7, 6L, "boots-7"));

    assertThat(bySku(adapter.push(channel, batch)).get("SOCKS").outcome())
        .isEqualTo(Outcome.COMPARE_FAILED);
    shop.listing(SOCKS, 5); // the shop is back at what Onhand last sent

    Map<String, PushResult> again = bySku(adapter.push(channel, batch));

    // Shopify answers a key's first result again: the failed one must not be replayed
    assertThat(again.values()).extracting(PushResult::outcome).containsOnly(Outcome.APPLIED);
    assertThat(shop.quantity(SOCKS)).isEqualTo(8);
    assertThat(shop.quantity(BOOTS)).isEqualTo(2);
    List<RecordedRequest> calls = shop.requests();
    assertThat(calls.get(1).json().getJsonObject("variables").getString("idempotencyKey"))
        .isNotEqualTo(calls.get(0).json().getJsonObject("variables").getString("idempotencyKey"));
  }

  @Test
  void aPushRetriedAfterALostAnswerIsAppliedOnceAndNotFailedByItsOwnCompare() {
    shop.listing(SOCKS, 5);
    shop.loseNextAnswers(1);
    QuantityPush push = new QuantityPush("SOCKS", SOCKS, 7, 3, 5L, "push-socks-3");

    PushResult lost = push(push);

    assertThat(lost.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(lost.httpStatus()).isZero();
    assertThat(shop.quantity(SOCKS)).isEqualTo(7); // Shopify did apply it

    PushResult retried = push(push);

    assertThat(retried.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(shop.adjustments()).hasSize(1);
    List<RecordedRequest> calls = shop.requests();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).json().getJsonObject("variables").getString("idempotencyKey"))
        .isEqualTo(calls.get(0).json().getJsonObject("variables").getString("idempotencyKey"));
  }

  @Test
  void aBurstBeyondTheCostBucketIsToldToWaitInsteadOfBeingThrottled() {
    shop.listing(SOCKS, 0);
    List<PushResult> results = new ArrayList<>();

    // bucket 100 points, 10 a call, 50 restored a second: about ten calls fit at once, and
    // pushing faster than 5 calls a second drains it
    PushResult last;
    int version = 0;
    do {
      version++;
      last = push(new QuantityPush("SOCKS", SOCKS, version, version, null, "v" + version));
      results.add(last);
    } while (last.outcome() == Outcome.APPLIED && version < 100);

    assertThat(last.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(last.httpStatus()).isZero(); // not called
    assertThat(last.retryAfter()).isPositive().isLessThanOrEqualTo(ms(200));
    assertThat(results).hasSizeGreaterThanOrEqualTo(10);
    assertThat(shop.requests()).hasSize(results.size() - 1);
    assertThat(shop.throttled()).isZero();

    sleep(last.retryAfter()); // the wait the adapter asked for
    PushResult waited = push(new QuantityPush("SOCKS", SOCKS, 500, 500, null, "v500"));
    assertThat(waited.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(shop.throttled()).isZero();
    assertThat(shop.quantity(SOCKS)).isEqualTo(500);
  }

  @Test
  void thePaceIsOneCallsCostAtTheRestoreRateOnceShopifyReportedIt() {
    shop.listing(SOCKS, 0);
    assertThat(adapter.pace(channel)).as("before any answer").isZero();

    push(new QuantityPush("SOCKS", SOCKS, 1, 1, null, "v1"));

    // the stub's bucket: 10 points a call, 50 restored a second
    assertThat(adapter.pace(channel)).isEqualTo(ms(200));
  }

  @Test
  void whenShopifyThrottlesAnywayTheRetryCarriesTheWaitItsBucketNeeds() {
    shop.listing(SOCKS, 5);
    shop.drainBucket(); // another app spent the shop's bucket

    PushResult throttled = push(new QuantityPush("SOCKS", SOCKS, 7, 3, 5L, "push-socks-3"));

    assertThat(throttled.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(throttled.httpStatus()).isEqualTo(200);
    assertThat(throttled.response()).contains("THROTTLED");
    // 10 points missing at 50 a second
    assertThat(throttled.retryAfter()).isBetween(ms(100), ms(210));
    assertThat(shop.quantity(SOCKS)).isEqualTo(5);

    // the adapter now knows the bucket: an immediate second push is not sent
    PushResult held = push(new QuantityPush("SOCKS", SOCKS, 7, 3, 5L, "push-socks-3"));
    assertThat(held.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(held.httpStatus()).isZero();
    assertThat(shop.requests()).hasSize(1);

    sleep(held.retryAfter());
    assertThat(push(new QuantityPush("SOCKS", SOCKS, 7, 3, 5L, "push-socks-3")).outcome())
        .isEqualTo(Outcome.APPLIED);
    assertThat(shop.quantity(SOCKS)).isEqualTo(7);
  }

  @Test
  void aServerErrorIsRetriedAndAnUnknownItemOrABadTokenIsRejected() {
    shop.listing(SOCKS, 5);
    shop.failNext(1);

    PushResult failed = push(new QuantityPush("SOCKS", SOCKS, 7, 3, 5L, "k1"));
    assertThat(failed.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(failed.httpStatus()).isEqualTo(500);

    Map<String, PushResult> results =
        bySku(
            adapter.push(
                channel,
                List.of(
                    new QuantityPush("SOCKS", SOCKS, 7, 3, 5L, "k1"),
                    new QuantityPush("GHOST", "gid://shopify/InventoryItem/404", 1, 1, 0L, "k2"))));
    assertThat(results.get("GHOST").outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(results.get("GHOST").response()).contains("INVALID_INVENTORY_ITEM");
    assertThat(results.get("SOCKS").outcome()).isEqualTo(Outcome.RETRY);
    assertThat(shop.quantity(SOCKS)).isEqualTo(5);

    shop.accessToken("rotated");
    PushResult unauthorized = push(new QuantityPush("SOCKS", SOCKS, 7, 3, 5L, "k1"));
    assertThat(unauthorized.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(unauthorized.httpStatus()).isEqualTo(401);
    assertThat(shop.quantity(SOCKS)).isEqualTo(5);
  }

  @Test
  void readsTheAvailableQuantitiesAtTheLocation() {
    shop.listing(SOCKS, 4).listing(BOOTS, 0);

    Map<String, Long> quantities =
        adapter
            .read(channel, List.of(SOCKS, BOOTS, "gid://shopify/InventoryItem/404"))
            .await()
            .atMost(Duration.ofSeconds(10));

    assertThat(quantities).isEqualTo(Map.of(SOCKS, 4L, BOOTS, 0L));
    RecordedRequest call = only(shop.requests());
    assertThat(call.json().getString("query")).contains("nodes(ids: $ids)");
    assertThat(call.json().getString("query")).contains("quantities(names: [\"available\"])");
    assertThat(call.json().getJsonObject("variables").getString("locationId"))
        .isEqualTo(ShopifyStub.LOCATION);
  }

  private PushResult push(QuantityPush push) {
    return only(adapter.push(channel, List.of(push)).await().atMost(Duration.ofSeconds(10)));
  }

  private static Map<String, PushResult> bySku(io.smallrye.mutiny.Uni<List<PushResult>> results) {
    Map<String, PushResult> bySku = new HashMap<>();
    results.await().atMost(Duration.ofSeconds(10)).forEach(r -> bySku.put(r.sku(), r));
    return bySku;
  }

  private static <T> T only(List<T> items) {
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private static void sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis() + 1);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
