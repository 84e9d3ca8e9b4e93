package dev.onhand.stock.messaging;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.Messages;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An operator replays a dead-lettered message once its cause is fixed: it is applied exactly once,
 * however often it was dead-lettered, and the register keeps one exception for it.
 */
@QuarkusTest
class DeadLetterReplayTest {
  private static final String REPLAY = "/api/v1/admin/stock/dead-letters/replay";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aReplayedMessageFailsAgainUntilItsCauseIsFixedThenIsAppliedOnce() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    var envelope =
        Messages.envelope("test.poison", "tests", Map.of("sku", sku, "location", location));
    String id = (String) envelope.get("id");
    double before = DeadLetterEvidence.deadLetteredCount(PoisonConsumer.CONSUMER);

    try (Broker broker = new Broker()) {
      broker.publish("onhand.stock-tests", "test.poison", Broker.json(envelope), Map.of());
    }
    awaitDeadAfter(id, "-infinity");
    var listed = DeadLetterEvidence.listed(PoisonConsumer.CONSUMER, id);
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0))
        .containsEntry("consumer", PoisonConsumer.CONSUMER)
        .containsEntry("type", "test.poison")
        .containsEntry("attempts", 5)
        .containsKey("lastFailedAt")
        .doesNotContainKey("payload");
    assertThat((String) listed.get(0).get("lastError")).contains("poison: fails after writing");

    // replayed before the cause is fixed: its retries start again, and it is dead-lettered again
    String firstFailure = failedAt(id);
    awaitReplayed(id);
    awaitDeadAfter(id, firstFailure);
    assertThat(DeadLetterEvidence.deadLetteredCount(PoisonConsumer.CONSUMER))
        .as("dead-lettered twice")
        .isEqualTo(before + 2);
    assertThat(DeadLetterEvidence.registerEntries(id))
        .as("still one exception in the register")
        .hasSize(1);
    assertThat(Db.ledgerEntries(sku)).as("nothing of the failed attempts").isZero();

    // fixed, then replayed: applied once
    PoisonConsumer.cure(id);
    awaitReplayed(id);
    await()
        .atMost(WAIT)
        .until(
            () ->
                Db.scalar(
                        "SELECT count(*) FROM inbox WHERE consumer = ? AND message_id = ?",
                        PoisonConsumer.CONSUMER,
                        id)
                    == 1);
    assertThat(Db.ledgerEntries(sku)).as("applied exactly once").isEqualTo(1);
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(5);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM inbox_failure WHERE consumer = ? AND message_id = ?",
                PoisonConsumer.CONSUMER,
                id))
        .as("its failure record is gone")
        .isZero();
    assertThat(DeadLetterEvidence.listed(PoisonConsumer.CONSUMER, id)).isEmpty();

    // nothing left to replay, and the dead-letter queue no longer holds it
    JsonPath again = replay(id).then().statusCode(200).extract().jsonPath();
    assertThat(again.getInt("replayed")).isZero();
    assertThat(again.getList("notFound")).containsExactly(id);
    try (Broker broker = new Broker()) {
      assertThat(broker.take(PoisonConsumer.CONSUMER + ".dlq"))
          .noneMatch(r -> id.equals(r.envelope().path("id").asText()));
    }
    assertThat(Db.ledgerEntries(sku)).isEqualTo(1);
    assertThat(DeadLetterEvidence.registerEntries(id)).hasSize(1);
  }

  @Test
  void replayingAConsumerWithoutIdsMovesEveryMessageOfItsDeadLetterQueue() throws Exception {
    String location = Api.location();
    List<String> skus = List.of(Api.item(), Api.item());
    List<String> ids = new java.util.ArrayList<>();
    try (Broker broker = new Broker()) {
      for (String sku : skus) {
        var envelope =
            Messages.envelope("test.poison", "tests", Map.of("sku", sku, "location", location));
        ids.add((String) envelope.get("id"));
        broker.publish("onhand.stock-tests", "test.poison", Broker.json(envelope), Map.of());
      }
    }
    ids.forEach(id -> awaitDeadAfter(id, "-infinity"));
    ids.forEach(PoisonConsumer::cure);

    // each replay moves what has reached the dead-letter queue by then
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              json()
                  .body(Map.of("consumer", PoisonConsumer.CONSUMER))
                  .post(REPLAY)
                  .then()
                  .statusCode(200);
              return skus.stream().allMatch(sku -> Db.ledgerEntries(sku) == 1);
            });
    JsonPath after =
        json()
            .body(Map.of("consumer", PoisonConsumer.CONSUMER))
            .post(REPLAY)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(after.getList("notFound", String.class)).doesNotContainAnyElementsOf(ids);
    for (String sku : skus) {
      assertThat(Db.ledgerEntries(sku)).as("applied exactly once").isEqualTo(1);
    }
    for (String id : ids) {
      assertThat(DeadLetterEvidence.listed(PoisonConsumer.CONSUMER, id)).isEmpty();
      assertThat(DeadLetterEvidence.registerEntries(id)).hasSize(1);
    }
  }

  @Test
  void badAdminCallsAreProblemsAndReplayNothing() {
    long dead =
        Db.scalar(
            "SELECT count(*) FROM inbox_failure WHERE consumer = ? AND dead_lettered",
            PoisonConsumer.CONSUMER);

    json()
        .get("/api/v1/admin/receiving/dead-letters")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("code", equalTo("NOT_FOUND"));
    json()
        .queryParam("consumer", "stock.nothing-here")
        .get("/api/v1/admin/stock/dead-letters")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("code", equalTo("CONSUMER_NOT_FOUND"));
    json()
        .queryParam("limit", 0)
        .get("/api/v1/admin/stock/dead-letters")
        .then()
        .statusCode(400)
        .body("code", equalTo("INVALID_LIMIT"));
    json()
        .queryParam("after", "not-a-cursor")
        .get("/api/v1/admin/stock/dead-letters")
        .then()
        .statusCode(400)
        .body("code", equalTo("INVALID_CURSOR"));

    Map<String, String> bodies =
        Map.of(
            "{\"consumer\":",
            "MALFORMED_JSON",
            "{}",
            "VALIDATION_FAILED",
            "{\"consumer\":\"\"}",
            "VALIDATION_FAILED",
            "{\"consumer\":[\"stock.test-poison\"]}",
            "VALIDATION_FAILED",
            "{\"consumer\":\"stock.test-poison\",\"messageIds\":[]}",
            "VALIDATION_FAILED",
            "{\"consumer\":\"stock.test-poison\",\"messageIds\":\"m-1\"}",
            "VALIDATION_FAILED",
            "{\"consumer\":\"stock.test-poison\",\"messageIds\":[\"\"]}",
            "VALIDATION_FAILED",
            "{\"consumer\":\"stock.test-poison\",\"everything\":true}",
            "VALIDATION_FAILED");
    bodies.forEach(
        (body, code) -> {
          var response = json().body(body).post(REPLAY).then().extract();
          assertThat(response.statusCode()).as(body).isEqualTo(400);
          assertThat(response.contentType()).as(body).startsWith("application/problem+json");
          assertThat(response.<String>path("code")).as(body).isEqualTo(code);
        });
    json()
        .body(Map.of("consumer", "stock.nothing-here"))
        .post(REPLAY)
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("code", equalTo("CONSUMER_NOT_FOUND"));
    json()
        .body(Map.of("consumer", PoisonConsumer.CONSUMER))
        .post("/api/v1/admin/receiving/dead-letters/replay")
        .then()
        .statusCode(404)
        .body("code", equalTo("NOT_FOUND"));

    assertThat(
            Db.scalar(
                "SELECT count(*) FROM inbox_failure WHERE consumer = ? AND dead_lettered",
                PoisonConsumer.CONSUMER))
        .as("no failure record was cleared")
        .isEqualTo(dead);
  }

  private static io.restassured.response.Response replay(String id) {
    return json()
        .body(Map.of("consumer", PoisonConsumer.CONSUMER, "messageIds", List.of(id)))
        .post(REPLAY);
  }

  /**
   * Replays the message as soon as it is in the dead-letter queue (the inbox rejects it there just
   * after recording it dead); a replay that found nothing moved nothing, so it is simply asked
   * again.
   */
  private static void awaitReplayed(String id) {
    await()
        .atMost(WAIT)
        .until(
            () -> replay(id).then().statusCode(200).extract().jsonPath().getInt("replayed") == 1);
  }

  /**
   * Waits until the message is recorded dead after all its retries, first failing after {@code at}.
   */
  private static void awaitDeadAfter(String id, String at) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                Db.scalar(
                        "SELECT count(*) FROM inbox_failure WHERE consumer = ? AND message_id = ?"
                            + " AND dead_lettered AND attempts = 5 AND first_failed_at >"
                            + " ?::timestamptz",
                        PoisonConsumer.CONSUMER,
                        id,
                        at)
                    == 1);
  }

  private static String failedAt(String id) {
    return Jdbc.ofApplication()
        .text(
            "SELECT first_failed_at::text FROM inbox_failure WHERE consumer = ? AND message_id = ?",
            PoisonConsumer.CONSUMER,
            id);
  }
}
