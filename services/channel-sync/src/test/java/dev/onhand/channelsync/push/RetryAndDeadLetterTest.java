package dev.onhand.channelsync.push;

import static dev.onhand.channelsync.support.Channels.awaitApplied;
import static dev.onhand.channelsync.support.Channels.json;
import static dev.onhand.channelsync.support.Channels.listingOf;
import static dev.onhand.channelsync.support.Channels.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.onhand.channelsync.sellable.InventoryConsumer;
import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.channelsync.support.WebhookReceiver;
import dev.onhand.channelsync.support.WebhookReceiver.Answer;
import dev.onhand.platform.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A channel that throttles or fails for a while gets the right number in the end, each version
 * applied once; one that keeps failing is dead-lettered, and a replay pushes the current number.
 */
@QuarkusTest
class RetryAndDeadLetterTest {
  private static final WebhookReceiver RECEIVER = WebhookReceiver.get();

  @Test
  void aThrottledAndFailingChannelRecoversWithTheRightNumberAppliedOncePerVersion() {
    String location = StockEvents.location();
    String sku = StockEvents.item();
    String code = StockEvents.unique("FLAKY");
    Channels.put(code, webhook(code, List.of(location)), 201);
    StockEvents.availableNow(sku, location, 1, 5);
    RECEIVER.script(code, new Answer(429, "1"), Answer.of(500), Answer.of(503));
    Channels.listing(code, sku);

    WebhookReceiver.Received applied = awaitApplied(code, sku, 5);
    List<WebhookReceiver.Received> attempts = RECEIVER.received(code);
    assertThat(attempts)
        .extracting(WebhookReceiver.Received::answered)
        .containsExactly(429, 500, 503, 200);
    assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at()))
        .as("Retry-After: 1 is honoured")
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(attempts)
        .as("every retry of one version carries its idempotency key")
        .extracting(WebhookReceiver.Received::idempotencyKey)
        .containsOnly(applied.idempotencyKey());
    assertThat(listingOf(code, sku).getLong("sentVersion"))
        .isEqualTo(listingOf(code, sku).getLong("version"));

    StockEvents.available(sku, location, 2, 8);
    awaitApplied(code, sku, 8);
    Map<Long, Long> appliedPerVersion =
        RECEIVER.applied(code).stream()
            .collect(
                Collectors.groupingBy(WebhookReceiver.Received::version, Collectors.counting()));
    assertThat(appliedPerVersion.values()).as("each version applied once").containsOnly(1L);
    assertThat(
            Jdbc.ofApplication()
                .text(
                    "SELECT string_agg(outcome || ':' || http_status, ',' ORDER BY id) FROM"
                        + " push_record WHERE channel = ?",
                    code))
        .isEqualTo("RETRY:429,RETRY:500,RETRY:503,APPLIED:200,APPLIED:200");

    json()
        .get("/api/v1/channels/{code}/status", code)
        .then()
        .statusCode(200)
        .body("pending", equalTo(0))
        .body("deadLettered", equalTo(0))
        .body("pushesLastHour", equalTo(5))
        .body("errorsLastHour", equalTo(3))
        .body("lastAppliedAt", notNullValue())
        .body("latencyP50Ms", greaterThanOrEqualTo(0))
        .body("latencyP99Ms", notNullValue());
    String metrics = json().accept("text/plain").get("/q/metrics").then().extract().asString();
    String channel = "channel=\"" + code + "\"";
    assertThat(metrics)
        .containsPattern(
            "onhand_channel_sync_pushes_total\\{" + channel + ",outcome=\"RETRY\",?} 3.0")
        .containsPattern(
            "onhand_channel_sync_pushes_total\\{" + channel + ",outcome=\"APPLIED\",?} 2.0")
        .containsPattern("onhand_channel_sync_latency_seconds_count\\{" + channel + ",?} 2.0")
        .contains("onhand_channel_sync_pending");
  }

  @Test
  void aChannelThatOnlyThrottlesIsWaitedForAndNeverDeadLettered() {
    String location = StockEvents.location();
    String sku = StockEvents.item();
    String code = StockEvents.unique("SLOW");
    RECEIVER.answerAlways(code, new Answer(429, "0"));
    Channels.put(code, webhook(code, List.of(location)), 201);
    StockEvents.availableNow(sku, location, 1, 4);
    Channels.listing(code, sku);

    // far more throttled answers than max-attempts (6 here): each one is a wait, not a failure
    await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.received(code).size() >= 12);
    json()
        .get("/api/v1/channels/{code}/dead-letters", code)
        .then()
        .statusCode(200)
        .body("items", org.hamcrest.Matchers.empty());
    assertThat(listingOf(code, sku).getBoolean("deadLettered")).isFalse();

    RECEIVER.answerAlways(code, Answer.of(200));
    awaitApplied(code, sku, 4);
  }

  @Test
  void aChannelThatKeepsFailingIsDeadLetteredAndAReplayPushesTheCurrentQuantity() {
    String location = StockEvents.location();
    String sku = StockEvents.item();
    String code = StockEvents.unique("DOWN");
    RECEIVER.answerAlways(code, Answer.of(500));
    Channels.put(code, webhook(code, List.of(location)), 201);
    StockEvents.availableNow(sku, location, 1, 3);
    Channels.listing(code, sku);

    String deadLetters = "/api/v1/channels/{code}/dead-letters";
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                json()
                    .get(deadLetters, code)
                    .then()
                    .statusCode(200)
                    .body("items.sku", contains(sku)));
    json()
        .get(deadLetters, code)
        .then()
        .body("items[0].attempts", equalTo(6))
        .body("items[0].lastHttpStatus", equalTo(500))
        .body("items[0].quantity", equalTo(3));
    assertThat(RECEIVER.received(code)).hasSize(6);
    json().get("/api/v1/channels/{code}/status", code).then().body("deadLettered", equalTo(1));

    // stock moves on while the SKU is dead-lettered: computed, not pushed
    var moved = StockEvents.inventoryChanged(sku, location, 2, 11);
    StockEvents.send(moved);
    StockEvents.awaitConsumed(InventoryConsumer.CONSUMER, List.of((String) moved.get("id")));
    assertThat(listingOf(code, sku).getLong("quantity")).isEqualTo(11);
    assertThat(listingOf(code, sku).getBoolean("deadLettered")).isTrue();

    RECEIVER.answerAlways(code, Answer.of(200));
    String key = UUID.randomUUID().toString();
    for (int i = 0; i < 2; i++) {
      json()
          .header("Idempotency-Key", key)
          .body(Map.of())
          .post(deadLetters + "/replay", code)
          .then()
          .statusCode(200)
          .body("replayed", equalTo(1))
          .body("skus", contains(sku));
    }
    awaitApplied(code, sku, 11);
    json().get(deadLetters, code).then().body("items", empty());
    assertThat(listingOf(code, sku).getBoolean("deadLettered")).isFalse();
  }

  @Test
  void aPushTheChannelRefusesIsDeadLetteredAtOnce() {
    String location = StockEvents.location();
    String sku = StockEvents.item();
    String code = StockEvents.unique("REFUSE");
    RECEIVER.answerAlways(code, Answer.of(404));
    Channels.put(code, webhook(code, List.of(location)), 201);
    Channels.listing(code, sku);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                json()
                    .get("/api/v1/channels/{code}/dead-letters", code)
                    .then()
                    .body("items.sku", contains(sku))
                    .body("items[0].attempts", equalTo(1))
                    .body("items[0].lastHttpStatus", equalTo(404)));
    assertThat(RECEIVER.received(code)).hasSize(1);
    json()
        .body(Map.of("skus", List.of("NOT-DEAD")))
        .post("/api/v1/channels/{code}/dead-letters/replay", code)
        .then()
        .statusCode(200)
        .body("replayed", equalTo(0));
    json()
        .body(Map.of())
        .post("/api/v1/channels/{code}/dead-letters/replay", "NO-SUCH-CHANNEL")
        .then()
        .statusCode(404)
        .body("code", equalTo("CHANNEL_NOT_FOUND"));
  }
}
