package dev.onhand.channelsync.adapter.amazon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.channelsync.adapter.ChannelTarget;
import dev.onhand.channelsync.adapter.PushResult;
import dev.onhand.channelsync.adapter.PushResult.Outcome;
import dev.onhand.channelsync.adapter.QuantityPush;
import dev.onhand.channelsync.adapter.http.ChannelHttp;
import dev.onhand.channelsync.stub.AmazonStub;
import dev.onhand.channelsync.stub.MarketplaceStub;
import dev.onhand.channelsync.stub.RecordedRequest;
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

class AmazonAdapterTest {

  static Vertx vertx;
  static AmazonStub amazon;

  AmazonAdapter adapter;
  ChannelTarget channel;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    amazon = new AmazonStub().start();
  }

  @AfterAll
  static void stop() {
    amazon.close();
    vertx.closeAndAwait();
  }

  @BeforeEach
  void freshChannel() {
    amazon.reset();
    adapter = new AmazonAdapter(new ChannelHttp(vertx, Duration.ofSeconds(2)));
    channel = StubTargets.target(amazon, "amazon-" + UUID.randomUUID());
  }

  @Test
  void patchesTheFulfillmentAvailabilityOfTheSellerSku() {
    amazon.listing("MUG 12/RED", 0);

    PushResult result = push(new QuantityPush("MUG-RED", "MUG 12/RED", 12, 1, 0L, "mug-1"));

    assertThat(result.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(result.httpStatus()).isEqualTo(200);
    assertThat(amazon.quantity("MUG 12/RED")).isEqualTo(12);
    RecordedRequest call = only(amazon.requests());
    assertThat(call.method()).isEqualTo("PATCH");
    assertThat(call.path())
        .isEqualTo("/listings/2021-08-01/items/" + AmazonStub.SELLER + "/MUG%2012%2FRED");
    assertThat(call.query("marketplaceIds")).isEqualTo(AmazonStub.MARKETPLACE);
    assertThat(call.header("x-amz-access-token")).isEqualTo(MarketplaceStub.TOKEN);
    assertThat(call.header("Content-Type")).startsWith("application/json");
    assertThat(call.json())
        .isEqualTo(
            new JsonObject(
                """
                {"productType": "PRODUCT",
                 "patches": [{"op": "replace",
                              "path": "/attributes/fulfillment_availability",
                              "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 12}]}]}
                """));
  }

  @Test
  void sendsTheProductTypeOfTheChannelSettings() {
    amazon.listing("MUG-RED", 3);
    Map<String, String> settings = new HashMap<>(channel.settings());
    settings.put("amazonProductType", "DRINKING_CUP");
    channel =
        new ChannelTarget(
            channel.code(), channel.type(), channel.endpoint(), channel.credentials(), settings);

    assertThat(push(new QuantityPush("MUG-RED", "MUG-RED", 2, 1, 3L, "k")).outcome())
        .isEqualTo(Outcome.APPLIED);
    assertThat(only(amazon.requests()).json().getString("productType")).isEqualTo("DRINKING_CUP");
  }

  @Test
  void aBurstBeyondFiveASecondWithBurstTenIsToldToWaitInsteadOfCalling() {
    List<QuantityPush> pushes = new ArrayList<>();
    for (int i = 1; i <= 15; i++) {
      amazon.listing("SKU-" + i, 0);
      pushes.add(new QuantityPush("SKU-" + i, "SKU-" + i, i, 1, 0L, "k" + i));
    }

    List<PushResult> results = adapter.push(channel, pushes).await().atMost(Duration.ofSeconds(10));

    List<PushResult> applied =
        results.stream().filter(r -> r.outcome() == Outcome.APPLIED).toList();
    List<PushResult> waiting = results.stream().filter(r -> r.outcome() == Outcome.RETRY).toList();
    assertThat(applied.size()).isBetween(10, 13);
    assertThat(waiting).isNotEmpty();
    assertThat(applied.size() + waiting.size()).isEqualTo(15);
    assertThat(amazon.requests()).hasSize(applied.size());
    assertThat(amazon.throttled()).isZero();
    // each waiting push is told its own turn: 200 ms apart at 5 a second (the first one also
    // waits out the lag allowed for Amazon's bucket to start refilling)
    assertThat(waiting).allSatisfy(r -> assertThat(r.httpStatus()).isZero());
    assertThat(waiting.get(0).retryAfter()).isPositive().isLessThanOrEqualTo(ms(300));
    for (int i = 1; i < waiting.size(); i++) {
      assertThat(waiting.get(i).retryAfter().minus(waiting.get(i - 1).retryAfter()))
          .isBetween(ms(150), ms(205));
    }

    // at the first turn the SKU promised it goes; the last one, promised a later turn, still waits
    sleep(waiting.get(0).retryAfter());
    assertThat(push(pushes.get(14)).outcome()).isEqualTo(Outcome.RETRY);
    QuantityPush first = pushOf(pushes, waiting.get(0).sku());
    PushResult later = push(first);
    assertThat(later.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(amazon.throttled()).isZero();
    assertThat(amazon.quantity(first.listingId())).isEqualTo(first.quantity());
  }

  @Test
  void successiveBatchesAreToldTurnsAfterTheOnesAlreadyPromised() {
    List<List<QuantityPush>> batches = new ArrayList<>();
    for (int batch = 0; batch < 3; batch++) {
      List<QuantityPush> pushes = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        String sku = "SKU-" + batch + "-" + i;
        amazon.listing(sku, 0);
        pushes.add(new QuantityPush(sku, sku, i, 1, 0L, "k-" + sku));
      }
      batches.add(pushes);
    }

    int applied = 0;
    long previousLastTurn = 0; // nanoTime, no earlier than it really is
    for (int b = 0; b < batches.size(); b++) {
      long began = System.nanoTime();
      List<PushResult> results =
          adapter.push(channel, batches.get(b)).await().atMost(Duration.ofSeconds(10));
      long ended = System.nanoTime();
      List<Duration> waits = new ArrayList<>();
      for (PushResult result : results) {
        if (result.outcome() == Outcome.APPLIED) {
          applied++;
        } else {
          assertThat(result.outcome()).isEqualTo(Outcome.RETRY);
          assertThat(result.httpStatus()).isZero();
          waits.add(result.retryAfter());
        }
      }
      // one turn after another, 200 ms apart at 5 a second...
      for (int i = 1; i < waits.size(); i++) {
        assertThat(waits.get(i).minus(waits.get(i - 1))).isBetween(ms(150), ms(205));
      }
      // ...and a batch's first turn comes after the last one promised before it
      if (b > 0) {
        long firstTurn = began + waits.get(0).toNanos(); // no later than it really is
        assertThat(firstTurn - previousLastTurn).isGreaterThan(ms(150).toNanos());
      }
      previousLastTurn = ended + waits.get(waits.size() - 1).toNanos();
    }

    // the burst of 10 (and what refilled meanwhile) went, every other push was told to wait
    assertThat(applied).isBetween(10, 13);
    assertThat(amazon.requests()).hasSize(applied);
    assertThat(amazon.throttled()).isZero();
  }

  @Test
  void whenAmazonThrottlesAnywayTheAdapterFollowsItsAnnouncedRate() {
    amazon.listing("MUG-RED", 0).listing("MUG-BLUE", 0);
    amazon.rateLimit(1, 1); // a stricter limit than the documented one

    Map<String, PushResult> results =
        bySku(
            adapter.push(
                channel,
                List.of(
                    new QuantityPush("MUG-RED", "MUG-RED", 4, 1, 0L, "red-1"),
                    new QuantityPush("MUG-BLUE", "MUG-BLUE", 5, 1, 0L, "blue-1"))));

    assertThat(results.get("MUG-RED").outcome()).isEqualTo(Outcome.APPLIED);
    PushResult throttled = results.get("MUG-BLUE");
    assertThat(throttled.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(throttled.httpStatus()).isEqualTo(429);
    // x-amzn-RateLimit-Limit said 1 a second: the next token is a second away
    assertThat(throttled.retryAfter()).isBetween(ms(900), ms(1000));
    assertThat(amazon.quantity("MUG-BLUE")).isZero();

    PushResult held = push(new QuantityPush("MUG-BLUE", "MUG-BLUE", 5, 1, 0L, "blue-1"));
    assertThat(held.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(held.httpStatus()).isZero();
    assertThat(amazon.requests()).hasSize(2);

    sleep(held.retryAfter());
    assertThat(push(new QuantityPush("MUG-BLUE", "MUG-BLUE", 5, 1, 0L, "blue-1")).outcome())
        .isEqualTo(Outcome.APPLIED);
    assertThat(amazon.quantity("MUG-BLUE")).isEqualTo(5);
  }

  @Test
  void anInvalidSubmissionAnUnknownSkuAndABadTokenAreRejectedAndAServerErrorRetried() {
    amazon.listing("MUG-RED", 3);

    PushResult invalid = push(new QuantityPush("MUG-RED", "MUG-RED", -1, 1, 3L, "k1"));
    assertThat(invalid.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(invalid.httpStatus()).isEqualTo(200);
    assertThat(invalid.response()).contains("INVALID");

    PushResult unknown = push(new QuantityPush("GHOST", "GHOST", 1, 1, null, "k2"));
    assertThat(unknown.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(unknown.httpStatus()).isEqualTo(404);

    amazon.failNext(1);
    PushResult failed = push(new QuantityPush("MUG-RED", "MUG-RED", 2, 2, 3L, "k3"));
    assertThat(failed.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(failed.httpStatus()).isEqualTo(500);

    amazon.accessToken("rotated");
    PushResult unauthorized = push(new QuantityPush("MUG-RED", "MUG-RED", 2, 2, 3L, "k3"));
    assertThat(unauthorized.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(unauthorized.httpStatus()).isEqualTo(403);
    assertThat(amazon.quantity("MUG-RED")).isEqualTo(3);
  }

  @Test
  void aWrongMarketplaceIsRejected() {
    amazon.listing("MUG-RED", 3);
    Map<String, String> settings = new HashMap<>(channel.settings());
    settings.put("amazonMarketplaceId", "A1F83G8C2ARO7P");
    channel =
        new ChannelTarget(
            channel.code(), channel.type(), channel.endpoint(), channel.credentials(), settings);

    PushResult result = push(new QuantityPush("MUG-RED", "MUG-RED", 2, 1, 3L, "k"));

    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.httpStatus()).isEqualTo(400);
    assertThat(amazon.quantity("MUG-RED")).isEqualTo(3);
  }

  @Test
  void readsTheFulfillmentAvailabilityOfEachSku() {
    amazon.listing("MUG-RED", 3).listing("MUG/BLUE", 8);

    Map<String, Long> quantities =
        adapter
            .read(channel, List.of("MUG-RED", "MUG/BLUE", "GHOST"))
            .await()
            .atMost(Duration.ofSeconds(10));

    assertThat(quantities).isEqualTo(Map.of("MUG-RED", 3L, "MUG/BLUE", 8L));
    assertThat(amazon.requests()).hasSize(3);
    RecordedRequest call = amazon.requests().get(1);
    assertThat(call.method()).isEqualTo("GET");
    assertThat(call.path()).endsWith("/MUG%2FBLUE");
    assertThat(call.query("includedData")).isEqualTo("fulfillmentAvailability");
    assertThat(call.query("marketplaceIds")).isEqualTo(AmazonStub.MARKETPLACE);
  }

  @Test
  void aReadWaitsForTheRateLimitInsteadOfBeingThrottled() {
    List<String> skus = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      amazon.listing("SKU-" + i, i);
      skus.add("SKU-" + i);
    }

    Map<String, Long> quantities =
        adapter.read(channel, skus).await().atMost(Duration.ofSeconds(10));

    assertThat(quantities).hasSize(12).containsEntry("SKU-12", 12L);
    assertThat(amazon.throttled()).isZero();
  }

  private static QuantityPush pushOf(List<QuantityPush> pushes, String sku) {
    return pushes.stream().filter(p -> p.sku().equals(sku)).findFirst().orElseThrow();
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
