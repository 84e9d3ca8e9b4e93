package dev.onhand.channelsync.channel;

import static dev.onhand.channelsync.support.Channels.json;
import static dev.onhand.channelsync.support.Channels.webhook;
import static dev.onhand.channelsync.support.Channels.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Channels are configured through the API, announced to fulfillment, and bad input changes nothing.
 */
@QuarkusTest
class ChannelApiTest {
  private static final String CHANGED = "channel-sync.channel.changed";

  @Test
  void aChannelIsCreatedShownListedChangedAndAnnouncedOnEveryChange() throws Exception {
    String first = StockEvents.location();
    String second = StockEvents.location("THIRD_PARTY", true);
    String code = StockEvents.unique("SHOP");
    Map<String, Object> body =
        with(webhook(code, List.of(second, first)), "allowSplit", false, "maximum", 40);
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.channel-sync", CHANGED)) {
      json()
          .body(body)
          .put("/api/v1/channels/{code}", code)
          .then()
          .statusCode(201)
          .header("Location", endsWith("/api/v1/channels/" + code))
          .body("code", equalTo(code))
          .body("type", equalTo("GENERIC_WEBHOOK"))
          .body("eligibleLocations", contains(second, first))
          .body("allowSplit", equalTo(false))
          .body("bufferUnits", equalTo(0))
          .body("allocationPercent", equalTo(100))
          .body("maximum", equalTo(40))
          .body("credentials.secret", equalTo(Channels.SECRET_REFERENCE));

      Broker.Received created =
          tap.await(
              r -> r.envelope().path("subject").asText().equals(code), Duration.ofSeconds(10));
      assertThat(created.envelope().path("source").asText()).isEqualTo("onhand/channel-sync");
      assertThat(created.data().path("code").asText()).isEqualTo(code);
      assertThat(created.data().path("type").asText()).isEqualTo("GENERIC_WEBHOOK");
      assertThat(created.data().path("eligibleLocations").get(0).asText()).isEqualTo(second);
      assertThat(created.data().path("eligibleLocations").get(1).asText()).isEqualTo(first);
      assertThat(created.data().path("allowSplit").asBoolean()).isFalse();

      // the same channel again changes nothing and announces nothing
      json().body(body).put("/api/v1/channels/{code}", code).then().statusCode(200);
      // a change is announced with a later updatedAt
      json()
          .body(with(body, "allowSplit", true, "eligibleLocations", List.of(first)))
          .put("/api/v1/channels/{code}", code)
          .then()
          .statusCode(200)
          .body("allowSplit", equalTo(true))
          .body("eligibleLocations", contains(first));
      Broker.Received changed =
          tap.await(
              r -> r.envelope().path("subject").asText().equals(code), Duration.ofSeconds(10));
      assertThat(changed.data().path("allowSplit").asBoolean()).isTrue();
      assertThat(changed.data().path("eligibleLocations")).hasSize(1);
      assertThat(OffsetDateTime.parse(changed.data().path("updatedAt").asText()))
          .isAfter(OffsetDateTime.parse(created.data().path("updatedAt").asText()));
      assertThat(tap.drain(Duration.ofMillis(500)))
          .as("the unchanged PUT announced nothing")
          .noneMatch(r -> r.envelope().path("subject").asText().equals(code));
    }

    json()
        .get("/api/v1/channels/{code}", code)
        .then()
        .statusCode(200)
        .body("eligibleLocations", contains(first))
        .body("maximum", equalTo(40));

    // the credential is a reference: its value is nowhere in the database
    String stored =
        Jdbc.ofApplication().text("SELECT credentials::text FROM channel WHERE code = ?", code);
    assertThat(stored).contains(Channels.SECRET_REFERENCE).doesNotContain(Channels.SECRET);
  }

  @Test
  void channelsAreListedByCodeAPageAtATime() {
    String location = StockEvents.location();
    String a = "LIST-" + UUID.randomUUID().toString().substring(0, 8);
    for (String code : List.of(a + "-1", a + "-2", a + "-3")) {
      Channels.put(code, webhook(code, List.of(location)), 201);
    }
    String cursor = null;
    List<String> seen = new java.util.ArrayList<>();
    do {
      var page =
          json()
              .queryParam("limit", 2)
              .queryParam("after", cursor == null ? "" : cursor)
              .get("/api/v1/channels")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      List<String> codes = page.getList("items.code");
      assertThat(codes.size()).isLessThanOrEqualTo(2);
      seen.addAll(codes);
      cursor = page.getString("next");
    } while (cursor != null);
    assertThat(seen).isSorted().doesNotHaveDuplicates().contains(a + "-1", a + "-2", a + "-3");
    json()
        .queryParam("after", "not-a-cursor!")
        .get("/api/v1/channels")
        .then()
        .statusCode(400)
        .body("code", equalTo("INVALID_CURSOR"));
  }

  @Test
  void anIdempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherBody() {
    String location = StockEvents.location();
    String code = StockEvents.unique("IDEM");
    String key = UUID.randomUUID().toString();
    Map<String, Object> body = webhook(code, List.of(location));
    json()
        .header("Idempotency-Key", key)
        .body(body)
        .put("/api/v1/channels/{code}", code)
        .then()
        .statusCode(201);
    json()
        .header("Idempotency-Key", key)
        .body(body)
        .put("/api/v1/channels/{code}", code)
        .then()
        .statusCode(201)
        .header("Idempotent-Replayed", "true");
    json()
        .header("Idempotency-Key", key)
        .body(with(body, "bufferUnits", 3))
        .put("/api/v1/channels/{code}", code)
        .then()
        .statusCode(422)
        .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
    json().get("/api/v1/channels/{code}", code).then().body("bufferUnits", equalTo(0));
  }

  @Test
  void badChannelsAreRefusedWithProblemsAndNothingIsStoredOrAnnounced() throws Exception {
    String location = StockEvents.location();
    String code = StockEvents.unique("BAD");
    Map<String, Object> good = webhook(code, List.of(location));
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.channel-sync", CHANGED)) {
      refused(
              code,
              with(good, "credentials", Map.of("secret", "whsec-in-clear")),
              422,
              "INVALID_CREDENTIAL_REFERENCE")
          .body("errors[0].field", equalTo("credentials.secret"))
          .body(not(org.hamcrest.Matchers.containsString("whsec-in-clear")));
      refused(
          code,
          with(good, "credentials", Map.of("secret", "env:ONHAND_DB_PASSWORD")),
          422,
          "INVALID_CREDENTIAL_REFERENCE");
      refused(
          code,
          with(good, "credentials", Map.of("secret", "secret:webhook/..")),
          422,
          "INVALID_CREDENTIAL_REFERENCE");
      refused(
          code,
          with(good, "credentials", Map.of("secret", "secret:../etc/passwd")),
          422,
          "INVALID_CREDENTIAL_REFERENCE");
      refused(code, with(good, "credentials", Map.of()), 422, "MISSING_CREDENTIAL");
      Map<String, String> token = Map.of("accessToken", "env:ONHAND_CHANNEL_SHOP_TOKEN");
      refused(code, with(good, "type", "SHOPIFY"), 422, "MISSING_CREDENTIAL")
          .body("errors.field", contains("credentials.accessToken", "settings.shopifyLocationId"));
      refused(code, with(good, "type", "SHOPIFY", "credentials", token), 422, "MISSING_SETTING")
          .body("errors[0].field", equalTo("settings.shopifyLocationId"));
      refused(
              code,
              with(
                  good,
                  "type",
                  "AMAZON",
                  "credentials",
                  token,
                  "settings",
                  Map.of("amazonSellerId", "A2EUQ1WTGCTBG2", "amazonMarketplaceId", "us")),
              422,
              "INVALID_SETTING")
          .body("errors[0].field", equalTo("settings.amazonMarketplaceId"));
      refused(
              code,
              with(good, "eligibleLocations", List.of(location, "NOWHERE-1")),
              422,
              "UNKNOWN_LOCATION")
          .body("errors[0].field", equalTo("eligibleLocations[1]"));
      refused(
          code,
          with(good, "eligibleLocations", List.of(location, location)),
          400,
          "VALIDATION_FAILED");
      refused(code, with(good, "eligibleLocations", List.of()), 400, "VALIDATION_FAILED");
      refused(code, with(good, "endpoint", "ftp://example.test/x"), 400, "VALIDATION_FAILED")
          .body("errors[0].field", equalTo("endpoint"));
      refused(code, with(good, "endpoint", "/relative"), 400, "VALIDATION_FAILED");
      refused(code, with(good, "allocationPercent", 101), 400, "VALIDATION_FAILED");
      refused(code, with(good, "bufferUnits", -1), 400, "VALIDATION_FAILED");
      refused(code, with(good, "maximum", 2_000_000_000L), 400, "VALIDATION_FAILED");
      refused(code, with(good, "settings", Map.of("bad key", "x")), 400, "VALIDATION_FAILED");
      refused(code, with(good, "type", "EBAY"), 400, null);
      refused(code, with(good, "allocationPercent", "50"), 400, null);
      refused(code, with(good, "unknown", 1), 400, null);
      json()
          .body("{\"type\": ")
          .put("/api/v1/channels/{code}", code)
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
      json()
          .body(good)
          .put("/api/v1/channels/{code}", "bad code")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");

      json()
          .get("/api/v1/channels/{code}", code)
          .then()
          .statusCode(404)
          .contentType("application/problem+json")
          .body("code", equalTo("CHANNEL_NOT_FOUND"));
      assertThat(Jdbc.ofApplication().scalar("SELECT count(*) FROM channel WHERE code = ?", code))
          .isZero();
      assertThat(tap.drain(Duration.ofMillis(500)))
          .noneMatch(r -> r.envelope().path("subject").asText().equals(code));
    }
  }

  @Test
  void aChannelKeepsItsType() {
    String location = StockEvents.location();
    String code = StockEvents.unique("TYPE");
    Map<String, Object> body = webhook(code, List.of(location));
    Channels.put(code, body, 201);
    refused(
            code,
            with(
                body,
                "type",
                "WALMART",
                "credentials",
                Map.of("accessToken", "env:ONHAND_CHANNEL_WALMART_TOKEN"),
                "settings",
                Map.of("walmartShipNode", "700123")),
            409,
            "CHANNEL_TYPE_CHANGED")
        .body("channelType", equalTo("GENERIC_WEBHOOK"));
    json().get("/api/v1/channels/{code}", code).then().body("type", equalTo("GENERIC_WEBHOOK"));
    // every type is accepted with its settings
    String walmart = StockEvents.unique("WMT");
    Channels.put(
        walmart,
        with(
            body,
            "type",
            "WALMART",
            "endpoint",
            "https://marketplace.walmartapis.com",
            "credentials",
            Map.of("accessToken", "env:ONHAND_CHANNEL_WALMART_TOKEN"),
            "settings",
            Map.of("walmartShipNode", "700123")),
        201);
    json()
        .get("/api/v1/channels/{code}", walmart)
        .then()
        .body("settings.walmartShipNode", equalTo("700123"))
        .body("credentials", hasKey("accessToken"))
        .body("maximum", nullValue());
  }

  @Test
  void listingsNeedAChannelAKnownSkuAndTheirOwnListingId() {
    String location = StockEvents.location();
    String sku = StockEvents.item();
    String other = StockEvents.item();
    String code = StockEvents.unique("LST");
    Channels.put(code, webhook(code, List.of(location)), 201);
    String path = "/api/v1/channels/{code}/listings/{sku}";

    json()
        .body(Map.of("listingId", "L-1"))
        .put(path, StockEvents.unique("NONE"), sku)
        .then()
        .statusCode(404)
        .body("code", equalTo("CHANNEL_NOT_FOUND"));
    json()
        .body(Map.of("listingId", "L-1"))
        .put(path, code, "NO-SUCH-SKU")
        .then()
        .statusCode(422)
        .body("code", equalTo("UNKNOWN_SKU"));
    json().body(Map.of("listingId", " ")).put(path, code, sku).then().statusCode(400);
    json()
        .body(Map.of("listingId", "L-1", "fixedQuantity", -1))
        .put(path, code, sku)
        .then()
        .statusCode(400)
        .body("code", equalTo("VALIDATION_FAILED"));
    assertThat(Jdbc.ofApplication().scalar("SELECT count(*) FROM listing WHERE channel = ?", code))
        .isZero();

    json()
        .body(Map.of("listingId", "gid://shopify/InventoryItem/1", "bufferUnits", 1))
        .put(path, code, sku)
        .then()
        .statusCode(201)
        .body("listingId", equalTo("gid://shopify/InventoryItem/1"))
        .body("bufferUnits", equalTo(1))
        .body("version", equalTo(1));
    json()
        .body(Map.of("listingId", "gid://shopify/InventoryItem/1"))
        .put(path, code, other)
        .then()
        .statusCode(409)
        .body("code", equalTo("LISTING_ID_TAKEN"))
        .body("sku", equalTo(sku));
    json()
        .body(Map.of("listingId", "L-2"))
        .put(path, code, sku)
        .then()
        .statusCode(200)
        .body("bufferUnits", nullValue());
    json().get(path, code, other).then().statusCode(404).body("code", equalTo("LISTING_NOT_FOUND"));
  }

  private static io.restassured.response.ValidatableResponse refused(
      String code, Map<String, Object> body, int status, String problem) {
    var response =
        json()
            .body(body)
            .put("/api/v1/channels/{code}", code)
            .then()
            .statusCode(status)
            .contentType("application/problem+json");
    if (problem != null) {
      response.body("code", equalTo(problem));
    }
    return response;
  }
}
