package dev.onhand.stock.api;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import dev.onhand.platform.testing.Concurrently;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Idempotency-Key: a retried write returns its first response and moves nothing again. */
@QuarkusTest
class IdempotencyTest {

  private static Map<String, Object> adjustment(String sku, String location, long delta) {
    return Map.of(
        "reason",
        "correction",
        "reference",
        "count:7",
        "lines",
        List.of(Map.of("sku", sku, "location", location, "state", "available", "delta", delta)));
  }

  @Test
  void aReplayedAdjustmentReturnsTheSameResponseAndMovesNothing() {
    String location = Api.location();
    String sku = Api.item();
    String key = Api.unique("key");

    var first = post(key, "/api/v1/inventory/adjustments", adjustment(sku, location, 7));
    var replay = post(key, "/api/v1/inventory/adjustments", adjustment(sku, location, 7));

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(replay.statusCode()).isEqualTo(201);
    assertThat(replay.body().asString()).isEqualTo(first.body().asString());
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(7);
    assertThat(Db.ledgerEntries(sku)).isEqualTo(1);
  }

  @Test
  void theSameBodyWrittenDifferentlyIsTheSameRequest() {
    String location = Api.location();
    String sku = Api.item();
    String key = Api.unique("key");
    String compact =
        "{\"reason\":\"found\",\"lines\":[{\"sku\":\"%s\",\"location\":\"%s\",\"state\":\"available\",\"delta\":2}]}"
            .formatted(sku, location);
    String reordered =
        "{ \"lines\": [ { \"delta\": 2, \"state\": \"available\", \"location\": \"%s\", \"sku\": \"%s\" } ],\n \"reason\": \"found\" }"
            .formatted(location, sku);

    json()
        .header("Idempotency-Key", key)
        .body(compact)
        .post("/api/v1/inventory/adjustments")
        .then()
        .statusCode(201);
    json()
        .header("Idempotency-Key", key)
        .body(reordered)
        .post("/api/v1/inventory/adjustments")
        .then()
        .statusCode(201)
        .header("Idempotent-Replayed", "true");
    assertThat(Db.ledgerEntries(sku)).isEqualTo(1);
  }

  @Test
  void aKeyReusedWithAnotherBodyIsRefusedAndAppliesNothing() {
    String location = Api.location();
    String sku = Api.item();
    String key = Api.unique("key");
    post(key, "/api/v1/inventory/adjustments", adjustment(sku, location, 3));

    var reused = post(key, "/api/v1/inventory/adjustments", adjustment(sku, location, 4));

    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(reused.contentType()).startsWith("application/problem+json");
    assertThat(reused.<String>path("code")).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(3);
    assertThat(Db.ledgerEntries(sku)).isEqualTo(1);
  }

  @Test
  void aRefusedWriteDoesNotConsumeItsKeySoTheCorrectedWriteApplies() {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 5);
    String key = Api.unique("key");

    assertThat(
            post(key, "/api/v1/inventory/adjustments", adjustment(sku, location, -9)).statusCode())
        .isEqualTo(422);
    assertThat(
            post(key, "/api/v1/inventory/adjustments", adjustment(sku, location, -2)).statusCode())
        .isEqualTo(201);
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(3);
  }

  @Test
  void concurrentRetriesWithOneKeyApplyOnce() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    String key = Api.unique("key");

    List<ExtractableResponse<Response>> responses =
        Concurrently.run(
            20,
            i -> () -> post(key, "/api/v1/inventory/adjustments", adjustment(sku, location, 1)));

    assertThat(responses).allMatch(r -> r.statusCode() == 201);
    assertThat(responses.stream().map(r -> r.<String>path("movementId")).distinct()).hasSize(1);
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(1);
    assertThat(Db.ledgerEntries(sku)).isEqualTo(1);
  }

  @Test
  void aReplayedReservationReturnsTheSameReservationAndHoldsUnitsOnce() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 10);
    String key = Api.unique("key");
    var body = Api.reservation("order:idem", sku, location, 4, 300L);

    List<ExtractableResponse<Response>> responses =
        Concurrently.run(10, i -> () -> post(key, "/api/v1/reservations", body));
    var replay = post(key, "/api/v1/reservations", body);

    // racing copies of one request either replay the first or are told it is still in progress
    assertThat(responses).allMatch(r -> r.statusCode() == 201 || r.statusCode() == 409);
    assertThat(responses)
        .filteredOn(r -> r.statusCode() == 409)
        .allMatch(r -> "IDEMPOTENCY_KEY_IN_USE".equals(r.path("code")));
    assertThat(replay.statusCode()).isEqualTo(201);
    assertThat(responses)
        .filteredOn(r -> r.statusCode() == 201)
        .allMatch(r -> r.path("id").equals(replay.path("id")));
    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(4);
    json()
        .get("/api/v1/reservations/{id}", replay.<String>path("id"))
        .then()
        .body("status", is("ACTIVE"));
  }

  @Test
  void aKeyStoredMeanwhileByAnotherTransactionRunsTheBatchAgainAndAppliesNothing()
      throws Exception {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 10);
    String key = Api.unique("key");

    var reply = reserveWhileAnotherTransactionHoldsTheKey(key, sku, location, Connection::commit);

    // run again, the batch finds the key stored for another request: refused, and nothing held
    assertThat(reply.statusCode()).isEqualTo(422);
    assertThat(reply.<String>path("code")).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    assertThat(Api.quantity(sku, location, "committed")).isZero();
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(10);
    assertThat(Db.ledgerEntries(sku)).isEqualTo(1);
    assertThat(Db.scalar("SELECT count(*) FROM reservation_line WHERE sku = ?", sku)).isZero();
  }

  @Test
  void aKeyAnotherTransactionGaveBackMeanwhileIsStoredOnceWithItsReservation() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 10);
    String key = Api.unique("key");

    var reply = reserveWhileAnotherTransactionHoldsTheKey(key, sku, location, Connection::rollback);

    assertThat(reply.statusCode()).isEqualTo(201);
    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(3);
    var replay =
        post(key, "/api/v1/reservations", Api.reservation("order:held", sku, location, 3, 300L));
    assertThat(replay.statusCode()).isEqualTo(201);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.<String>path("id")).isEqualTo(reply.path("id"));
    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(3);
    Db.assertLedgerMatchesBalances(sku);
  }

  /**
   * Another transaction (as another instance would) has stored {@code key} and not yet committed: a
   * reservation with that key finds it free, is decided, and waits on the key as it stores it. The
   * other transaction then ends with {@code end}; the reservation's response is returned.
   */
  private static ExtractableResponse<Response> reserveWhileAnotherTransactionHoldsTheKey(
      String key, String sku, String location, SqlAction end) throws Exception {
    try (Connection other = Db.connect()) {
      other.setAutoCommit(false);
      try (PreparedStatement insert =
          other.prepareStatement(
              "INSERT INTO idempotency_key (key, request_hash, status_code, response_body)"
                  + " VALUES (?, 'another request', 201, '{}')")) {
        insert.setString(1, key);
        insert.executeUpdate();
      }
      CompletableFuture<ExtractableResponse<Response>> reply =
          CompletableFuture.supplyAsync(
              () ->
                  post(
                      key,
                      "/api/v1/reservations",
                      Api.reservation("order:held", sku, location, 3, 300L)));
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  Db.scalar(
                          "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                              + " AND query LIKE 'INSERT INTO idempotency_key%'")
                      == 1);
      end.apply(other);
      return reply.get(30, TimeUnit.SECONDS);
    }
  }

  private interface SqlAction {
    void apply(Connection connection) throws SQLException;
  }

  private static ExtractableResponse<Response> post(String key, String path, Object body) {
    return json().header("Idempotency-Key", key).body(body).post(path).then().extract();
  }
}
