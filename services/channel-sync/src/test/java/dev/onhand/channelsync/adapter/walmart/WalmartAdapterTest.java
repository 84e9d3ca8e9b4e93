package dev.onhand.channelsync.adapter.walmart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.channelsync.adapter.ChannelTarget;
import dev.onhand.channelsync.adapter.PushResult;
import dev.onhand.channelsync.adapter.PushResult.Outcome;
import dev.onhand.channelsync.adapter.QuantityPush;
import dev.onhand.channelsync.adapter.http.ChannelHttp;
import dev.onhand.channelsync.stub.MarketplaceStub;
import dev.onhand.channelsync.stub.RecordedRequest;
import dev.onhand.channelsync.stub.WalmartStub;
import dev.onhand.channelsync.support.StubTargets;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WalmartAdapterTest {

  static Vertx vertx;
  static WalmartStub walmart;

  WalmartAdapter adapter;
  ChannelTarget channel;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    walmart = new WalmartStub().start();
  }

  @AfterAll
  static void stop() {
    walmart.close();
    vertx.closeAndAwait();
  }

  @BeforeEach
  void freshChannel() {
    walmart.reset();
    adapter = new WalmartAdapter(new ChannelHttp(vertx, Duration.ofSeconds(2)));
    channel = StubTargets.target(walmart, "walmart-" + UUID.randomUUID());
  }

  @Test
  void putsTheQuantityOfTheSkuAtTheShipNode() {
    walmart.listing("LAMP & SHADE", 2);

    PushResult result = push(new QuantityPush("LAMP", "LAMP & SHADE", 9, 4, 2L, "push-lamp-4"));

    assertThat(result.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(result.httpStatus()).isEqualTo(200);
    assertThat(walmart.quantity("LAMP & SHADE")).isEqualTo(9);
    RecordedRequest call = only(walmart.requests());
    assertThat(call.method()).isEqualTo("PUT");
    assertThat(call.path()).isEqualTo("/v3/inventory");
    assertThat(call.query("sku")).isEqualTo("LAMP & SHADE");
    assertThat(call.query("shipNode")).isEqualTo(WalmartStub.SHIP_NODE);
    assertThat(call.header("WM_SEC.ACCESS_TOKEN")).isEqualTo(MarketplaceStub.TOKEN);
    assertThat(call.header("WM_QOS.CORRELATION_ID")).isEqualTo("push-lamp-4");
    assertThat(call.header("WM_SVC.NAME")).isEqualTo("Onhand");
    assertThat(call.header("Accept")).isEqualTo("application/json");
    assertThat(call.header("Content-Type")).startsWith("application/json");
    assertThat(call.json())
        .isEqualTo(
            new JsonObject()
                .put("sku", "LAMP & SHADE")
                .put("quantity", new JsonObject().put("unit", "EACH").put("amount", 9)));
  }

  @Test
  void a429HoldsTheChannelForItsRetryAfterWhileOtherChannelsGoOn() {
    walmart.listing("LAMP", 2).listing("RUG", 1);
    walmart.throttleNext(1, Duration.ofSeconds(2));

    List<PushResult> results =
        adapter
            .push(
                channel,
                List.of(
                    new QuantityPush("LAMP", "LAMP", 9, 4, 2L, "lamp-4"),
                    new QuantityPush("RUG", "RUG", 3, 2, 1L, "rug-2")))
            .await()
            .atMost(Duration.ofSeconds(10));

    PushResult throttled = results.get(0);
    assertThat(throttled.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(throttled.httpStatus()).isEqualTo(429);
    assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    // the push behind it is held without a call
    PushResult held = results.get(1);
    assertThat(held.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(held.httpStatus()).isZero();
    assertThat(held.retryAfter()).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(2));
    assertThat(walmart.requests()).hasSize(1);

    PushResult stillHeld = push(new QuantityPush("LAMP", "LAMP", 9, 4, 2L, "lamp-4"));
    assertThat(stillHeld.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(stillHeld.httpStatus()).isZero();
    assertThat(walmart.requests()).hasSize(1);

    // another channel (another seller account) is not held by this one's pause
    ChannelTarget other = StubTargets.target(walmart, "walmart-other-" + UUID.randomUUID());
    assertThat(
            only(adapter
                    .push(other, List.of(new QuantityPush("RUG", "RUG", 3, 2, 1L, "r")))
                    .await()
                    .atMost(Duration.ofSeconds(10)))
                .outcome())
        .isEqualTo(Outcome.APPLIED);

    sleep(stillHeld.retryAfter());
    assertThat(push(new QuantityPush("LAMP", "LAMP", 9, 4, 2L, "lamp-4")).outcome())
        .isEqualTo(Outcome.APPLIED);
    assertThat(walmart.quantity("LAMP")).isEqualTo(9);
    assertThat(walmart.throttled()).isEqualTo(1);
  }

  @Test
  void aServerErrorIsRetriedAndAnUnknownSkuABadShipNodeOrABadTokenIsRejected() {
    walmart.listing("LAMP", 2);

    walmart.failNext(1);
    PushResult failed = push(new QuantityPush("LAMP", "LAMP", 9, 4, 2L, "k1"));
    assertThat(failed.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(failed.httpStatus()).isEqualTo(500);

    PushResult unknown = push(new QuantityPush("GHOST", "GHOST", 1, 1, null, "k2"));
    assertThat(unknown.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(unknown.httpStatus()).isEqualTo(404);

    ChannelTarget elsewhere =
        new ChannelTarget(
            channel.code(),
            channel.type(),
            channel.endpoint(),
            channel.credentials(),
            Map.of("walmartShipNode", "999"));
    PushResult badNode =
        only(
            adapter
                .push(elsewhere, List.of(new QuantityPush("LAMP", "LAMP", 9, 4, 2L, "k1")))
                .await()
                .atMost(Duration.ofSeconds(10)));
    assertThat(badNode.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(badNode.httpStatus()).isEqualTo(400);

    walmart.accessToken("rotated");
    PushResult unauthorized = push(new QuantityPush("LAMP", "LAMP", 9, 4, 2L, "k1"));
    assertThat(unauthorized.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(unauthorized.httpStatus()).isEqualTo(401);
    assertThat(walmart.quantity("LAMP")).isEqualTo(2);
  }

  @Test
  void aChannelWithoutItsShipNodeIsRejectedWithoutACall() {
    ChannelTarget unset =
        new ChannelTarget(
            channel.code(), channel.type(), channel.endpoint(), channel.credentials(), Map.of());

    PushResult result =
        only(
            adapter
                .push(unset, List.of(new QuantityPush("LAMP", "LAMP", 9, 4, 2L, "k1")))
                .await()
                .atMost(Duration.ofSeconds(10)));

    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.response()).contains("walmartShipNode");
    assertThat(walmart.requests()).isEmpty();
  }

  @Test
  void readsTheQuantityOfEachSkuAtTheShipNode() {
    walmart.listing("LAMP", 2).listing("RUG", 0);

    Map<String, Long> quantities =
        adapter
            .read(channel, List.of("LAMP", "RUG", "GHOST"))
            .await()
            .atMost(Duration.ofSeconds(10));

    assertThat(quantities).isEqualTo(Map.of("LAMP", 2L, "RUG", 0L));
    RecordedRequest call = walmart.requests().get(0);
    assertThat(call.method()).isEqualTo("GET");
    assertThat(call.query("sku")).isEqualTo("LAMP");
    assertThat(call.query("shipNode")).isEqualTo(WalmartStub.SHIP_NODE);
    assertThat(call.header("WM_SEC.ACCESS_TOKEN")).isEqualTo(MarketplaceStub.TOKEN);
  }

  @Test
  void aReadWaitsOutA429() {
    walmart.listing("LAMP", 2);
    walmart.throttleNext(1, Duration.ofSeconds(1));

    Map<String, Long> quantities =
        adapter.read(channel, List.of("LAMP")).await().atMost(Duration.ofSeconds(10));

    assertThat(quantities).isEqualTo(Map.of("LAMP", 2L));
    List<RecordedRequest> calls = walmart.requests();
    assertThat(calls).extracting(RecordedRequest::status).containsExactly(429, 200);
    assertThat(Duration.between(calls.get(0).at(), calls.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  private PushResult push(QuantityPush push) {
    return only(adapter.push(channel, List.of(push)).await().atMost(Duration.ofSeconds(10)));
  }

  private static <T> T only(List<T> items) {
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  private static void sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis() + 1);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
