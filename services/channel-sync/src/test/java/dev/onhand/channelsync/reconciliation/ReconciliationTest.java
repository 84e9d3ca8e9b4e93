package dev.onhand.channelsync.reconciliation;

import static dev.onhand.channelsync.support.Channels.json;
import static dev.onhand.channelsync.support.Channels.listingOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onhand.channelsync.stub.AmazonStub;
import dev.onhand.channelsync.stub.MarketplaceStub;
import dev.onhand.channelsync.stub.WalmartStub;
import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation reads each listing back from the marketplace (a stub of its API), finds a drift
 * planted behind channel-sync's back, leaves a push in flight alone, corrects the drift through the
 * push pipeline and tells stock's exception register.
 */
@QuarkusTest
class ReconciliationTest {
  private static final String SECRET_NAME = "marketplace-tokens";
  private static final String SECRET_KEY = "access-token";

  @Inject Reconciler reconciler;

  static WalmartStub walmart;
  static AmazonStub amazon;

  @BeforeAll
  static void start() throws IOException {
    walmart = new WalmartStub().start();
    amazon = new AmazonStub().start();
    Path dir = Path.of("target/channel-secrets", SECRET_NAME);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(SECRET_KEY), MarketplaceStub.TOKEN + "\n");
  }

  @AfterAll
  static void stop() {
    walmart.close();
    amazon.close();
  }

  @Test
  void reconciliationFindsAPlantedDriftAndCorrectsIt() throws Exception {
    String location = StockEvents.location();
    String matching = StockEvents.item();
    String drifted = StockEvents.item();
    String pending = StockEvents.item();
    String code = StockEvents.unique("WALMART");
    for (String sku : List.of(matching, drifted, pending)) {
      walmart.listing(sku, 0);
    }
    StockEvents.availableNow(matching, location, 1, 5);
    StockEvents.availableNow(drifted, location, 1, 7);
    StockEvents.availableNow(pending, location, 1, 9);
    Channels.put(code, channel(walmart, List.of(location), Map.of()), 201);
    for (String sku : List.of(matching, drifted, pending)) {
      Channels.listing(code, sku, Map.of("listingId", sku));
    }
    awaitChannelShows(walmart, matching, 5);
    awaitChannelShows(walmart, drifted, 7);
    awaitChannelShows(walmart, pending, 9);
    awaitApplied(code, List.of(matching, drifted, pending));

    // behind channel-sync's back: someone sets the drifted listing by hand on the marketplace
    walmart.listing(drifted, 2);
    // and the pending listing has a newer quantity waiting for its push (a retry's backoff), while
    // the marketplace still shows an older number: that is not drift
    walmart.listing(pending, 4);
    Jdbc.ofApplication()
        .execute(
            "UPDATE channel_quantity SET quantity = 4, version = version + 1, next_attempt_at ="
                + " clock_timestamp() + interval '1 hour' WHERE channel = ? AND sku = ?",
            code,
            pending);

    try (Broker broker = new Broker();
        Broker.Tap exceptions =
            broker.tap("onhand.channel-sync", "channel-sync.exception.raised")) {
      String id = reconcile(code);
      JsonPath report = awaitReport(code, id);

      assertThat(report.getString("status")).isEqualTo("COMPLETED");
      assertThat(report.getString("trigger")).isEqualTo("ON_DEMAND");
      assertThat(report.getInt("listings")).isEqualTo(3);
      assertThat(report.getInt("matched")).isEqualTo(1);
      assertThat(report.getInt("drifted")).isEqualTo(1);
      assertThat(report.getInt("inFlight")).isEqualTo(1);
      assertThat(report.getInt("corrected")).isEqualTo(1);
      Map<String, Object> driftLine = line(report, drifted);
      assertThat(driftLine)
          .containsEntry("state", "DRIFT")
          .containsEntry("channelQuantity", 2)
          .containsEntry("expected", 7)
          .containsEntry("computed", 7)
          .containsEntry("corrected", true);
      assertThat(line(report, matching))
          .containsEntry("state", "MATCH")
          .containsEntry("channelQuantity", 5)
          .containsEntry("corrected", false);
      assertThat(line(report, pending))
          .containsEntry("state", "IN_FLIGHT")
          .containsEntry("channelQuantity", 4)
          .containsEntry("corrected", false);

      // the correction went through the push pipeline: the marketplace shows 7 again
      awaitChannelShows(walmart, drifted, 7);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  listingOf(code, drifted).getLong("sentVersion")
                      == listingOf(code, drifted).getLong("version"));
      assertThat(listingOf(code, drifted).getLong("sentQuantity")).isEqualTo(7);

      Broker.Received raised =
          exceptions.await(
              r -> r.data().path("reference").asText().equals("reconciliation:" + id),
              Duration.ofSeconds(10));
      assertThat(MessageSchemas.violations(raised.envelope()))
          .as("%s validates against its schema: %s", raised.type(), raised.raw())
          .isEmpty();
      JsonNode data = raised.data();
      assertThat(data.path("kind").asText()).isEqualTo("CHANNEL_DRIFT");
      assertThat(data.path("sku").asText()).isEqualTo(drifted);
      assertThat(data.path("expected").asLong()).isEqualTo(7);
      assertThat(data.path("actual").asLong()).isEqualTo(2);
      assertThat(
              exceptions.drain(Duration.ofMillis(500)).stream()
                  .filter(r -> r.data().path("reference").asText().equals("reconciliation:" + id))
                  .toList())
          .as("one exception: the drifted SKU's")
          .isEmpty();

      json()
          .get("/api/v1/channels/{code}/status", code)
          .then()
          .statusCode(200)
          .body("drift.skus", equalTo(1))
          .body("drift.corrected", equalTo(1))
          .body("drift.reconciliationId", equalTo(id))
          .body("drift.reconciledAt", notNullValue());
      String metrics =
          given()
              .accept("text/plain")
              .get("/q/metrics")
              .then()
              .statusCode(200)
              .extract()
              .asString();
      assertThat(metrics)
          .containsPattern("onhand_channel_sync_drift\\{channel=\"" + code + "\",?\\} 1\\.0");

      // reconciled again once the correction landed: nothing drifts any more
      JsonPath again = awaitReport(code, reconcile(code));
      assertThat(line(again, drifted)).containsEntry("state", "MATCH");
      assertThat(again.getInt("drifted")).isZero();
      json().get("/api/v1/channels/{code}/status", code).then().body("drift.skus", equalTo(0));
    }
  }

  @Test
  void aChannelThatCannotBeReadIsReportedUnreadableAndLeftAlone() {
    String location = StockEvents.location();
    String sku = StockEvents.item();
    String code = StockEvents.unique("HOOK");
    StockEvents.availableNow(sku, location, 1, 3);
    Channels.put(code, Channels.webhook(code, List.of(location)), 201);
    Channels.listing(code, sku);
    awaitApplied(code, List.of(sku));
    long version = listingOf(code, sku).getLong("version");

    JsonPath report = awaitReport(code, reconcile(code));

    assertThat(report.getString("status")).isEqualTo("COMPLETED");
    assertThat(report.getInt("unreadable")).isEqualTo(1);
    assertThat(line(report, sku))
        .containsEntry("state", "UNREADABLE")
        .containsEntry("corrected", false);
    assertThat(line(report, sku).get("channelQuantity")).isNull();
    assertThat(listingOf(code, sku).getLong("version")).as("nothing pushed").isEqualTo(version);
  }

  @Test
  void anFbaChannelReportsItsLocationsSnapshotsToStock() throws Exception {
    String fba = StockEvents.location("MARKETPLACE", true);
    String sku = StockEvents.item();
    String code = StockEvents.unique("FBA");
    amazon.listing(sku, 0);
    StockEvents.availableNow(sku, fba, 1, 6);
    Channels.put(code, channel(amazon, List.of(fba), Map.of("fulfilledBy", "AMAZON")), 201);
    Channels.listing(code, sku, Map.of("listingId", sku));
    awaitChannelShows(amazon, sku, 6);
    awaitApplied(code, List.of(sku));
    amazon.listing(sku, 4); // Amazon counted fewer units at its fulfilment centre

    try (Broker broker = new Broker();
        Broker.Tap snapshots =
            broker.tap("onhand.channel-sync", "channel-sync.snapshot.reported")) {
      String id = reconcile(code);
      JsonPath report = awaitReport(code, id);

      assertThat(report.getInt("snapshots")).isEqualTo(1);
      assertThat(line(report, sku))
          .as("Amazon owns the count: reported, not pushed over")
          .containsEntry("state", "DRIFT")
          .containsEntry("corrected", false);
      Broker.Received snapshot =
          snapshots.await(
              r -> r.data().path("reconciliationId").asText().equals(id), Duration.ofSeconds(10));
      assertThat(MessageSchemas.violations(snapshot.envelope()))
          .as("%s validates against its schema: %s", snapshot.type(), snapshot.raw())
          .isEmpty();
      assertThat(snapshot.data().path("location").asText()).isEqualTo(fba);
      assertThat(snapshot.data().path("sku").asText()).isEqualTo(sku);
      assertThat(snapshot.data().path("quantity").asLong()).isEqualTo(4);
      assertThat(snapshot.data().path("channel").asText()).isEqualTo(code);
      assertThat(amazon.quantity(sku)).isEqualTo(4);
    }
  }

  @Test
  void unknownChannelsAndReconciliationsAre404AndBadIds400() {
    json()
        .post("/api/v1/channels/{code}/reconciliations", StockEvents.unique("NONE"))
        .then()
        .statusCode(404)
        .body("code", equalTo("CHANNEL_NOT_FOUND"));
    String location = StockEvents.location();
    String code = StockEvents.unique("EMPTY");
    Channels.put(code, Channels.webhook(code, List.of(location)), 201);
    json()
        .get("/api/v1/channels/{code}/reconciliations/{id}", code, UUID.randomUUID())
        .then()
        .statusCode(404)
        .body("code", equalTo("RECONCILIATION_NOT_FOUND"));
    json()
        .get("/api/v1/channels/{code}/reconciliations/{id}", code, "not-a-uuid")
        .then()
        .statusCode(400)
        .body("code", equalTo("VALIDATION_FAILED"));
    assertThat(
            Jdbc.ofApplication()
                .scalar("SELECT count(*) FROM reconciliation WHERE channel = ?", code))
        .isZero();
  }

  @Test
  void anIdempotencyKeyStartsOneReconciliation() {
    String location = StockEvents.location();
    String code = StockEvents.unique("ONCE");
    Channels.put(code, Channels.webhook(code, List.of(location)), 201);
    String key = UUID.randomUUID().toString();
    String first =
        json()
            .header("Idempotency-Key", key)
            .post("/api/v1/channels/{code}/reconciliations", code)
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    json()
        .header("Idempotency-Key", key)
        .post("/api/v1/channels/{code}/reconciliations", code)
        .then()
        .statusCode(202)
        .body("id", equalTo(first));
    awaitReport(code, first);
    assertThat(
            Jdbc.ofApplication()
                .scalar("SELECT count(*) FROM reconciliation WHERE channel = ?", code))
        .isEqualTo(1);
  }

  @Test
  void oldRunsAreForgottenButAChannelsLastCompletedRunStays() throws Exception {
    String location = StockEvents.location();
    String code = StockEvents.unique("OLD");
    Channels.put(code, Channels.webhook(code, List.of(location)), 201);
    String first = reconcile(code);
    awaitReport(code, first);
    String last = reconcile(code);
    awaitReport(code, last);
    Jdbc.ofApplication()
        .execute(
            "UPDATE reconciliation SET started_at = started_at - interval '8 days' WHERE"
                + " channel = ?",
            code);

    reconciler.purge().await().atMost(Duration.ofSeconds(10));

    assertThat(
            Jdbc.ofApplication()
                .text(
                    "SELECT string_agg(id::text, ',') FROM reconciliation WHERE channel = ?", code))
        .isEqualTo(last);
    json().get("/api/v1/channels/{code}/reconciliations/{id}", code, first).then().statusCode(404);
  }

  // --- helpers ---

  private static Map<String, Object> channel(
      MarketplaceStub stub, List<String> locations, Map<String, String> moreSettings) {
    Map<String, String> settings = new LinkedHashMap<>(stub.settings());
    settings.putAll(moreSettings);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", stub.channelType());
    body.put("endpoint", stub.url().toString());
    body.put("credentials", Map.of("accessToken", "secret:" + SECRET_NAME + "/" + SECRET_KEY));
    body.put("settings", settings);
    body.put("eligibleLocations", locations);
    return body;
  }

  private static void awaitChannelShows(MarketplaceStub stub, String listingId, long quantity) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Long.valueOf(quantity).equals(stub.quantity(listingId)));
  }

  private static void awaitApplied(String code, List<String> skus) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                skus.stream()
                    .allMatch(
                        sku -> {
                          JsonPath listing = listingOf(code, sku);
                          return listing.getLong("sentVersion") == listing.getLong("version");
                        }));
  }

  private static String reconcile(String code) {
    return json()
        .post("/api/v1/channels/{code}/reconciliations", code)
        .then()
        .statusCode(202)
        .header("Location", containsString("/api/v1/channels/" + code + "/reconciliations/"))
        .body("status", equalTo("RUNNING"))
        .extract()
        .path("id");
  }

  private static JsonPath awaitReport(String code, String id) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                json()
                    .get("/api/v1/channels/{code}/reconciliations/{id}", code, id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath(),
            report -> !report.getString("status").equals("RUNNING"));
  }

  private static Map<String, Object> line(JsonPath report, String sku) {
    List<Map<String, Object>> lines = report.getList("lines");
    return lines.stream()
        .filter(l -> sku.equals(l.get("sku")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + sku + " in " + report.prettify()));
  }
}
