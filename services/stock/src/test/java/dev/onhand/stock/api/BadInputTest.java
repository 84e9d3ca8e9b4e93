package dev.onhand.stock.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad request gets a 4xx problem+json with a stable code (and the offending field
 * where there is one), and changes nothing.
 */
@QuarkusTest
class BadInputTest {
  private String sku;
  private String location;

  /** One bad request and what it must answer. */
  record Case(
      String name,
      String method,
      String path,
      String contentType,
      String body,
      int status,
      String code,
      String field) {}

  @BeforeEach
  void setUp() {
    location = Api.location();
    sku = Api.item();
    Api.stock(sku, location, "available", 10);
  }

  private List<Case> cases() {
    String line = "{\"sku\":\"%s\",\"location\":\"%s\",\"state\":\"available\",\"delta\":%s}";
    String adjust = "{\"reason\":\"correction\",\"lines\":[" + line + "]}";
    String reserve =
        "{\"reference\":\"order:1\",\"lines\":[{\"sku\":\"%s\",\"location\":\"%s\",\"quantity\":%s}]}";
    String many =
        "{\"reason\":\"correction\",\"lines\":["
            + String.join(",", java.util.Collections.nCopies(501, line.formatted(sku, location, 1)))
            + "]}";
    String huge = "{\"reason\":\"correction\",\"reference\":\"" + "x".repeat(1_100_000) + "\"}";
    String adj = "/api/v1/inventory/adjustments";
    String res = "/api/v1/reservations";
    String json = "application/json";
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case("malformed JSON", "POST", adj, json, "{\"reason\":", 400, "MALFORMED_JSON", null));
    cases.add(
        new Case(
            "trailing garbage",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, 1) + "}",
            400,
            "MALFORMED_JSON",
            null));
    cases.add(
        new Case("not an object", "POST", adj, json, "[1,2]", 400, "VALIDATION_FAILED", "body"));
    cases.add(new Case("empty body", "POST", adj, json, "", 400, "VALIDATION_FAILED", "body"));
    cases.add(
        new Case(
            "delta as string",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, "\"5\""),
            400,
            "VALIDATION_FAILED",
            "lines[0].delta"));
    cases.add(
        new Case(
            "delta as fraction",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, "1.5"),
            400,
            "VALIDATION_FAILED",
            "lines[0].delta"));
    cases.add(
        new Case(
            "delta beyond long",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, "99999999999999999999999"),
            400,
            "VALIDATION_FAILED",
            "lines[0].delta"));
    cases.add(
        new Case(
            "delta too large",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, "2000000000"),
            400,
            "VALIDATION_FAILED",
            "lines[0].delta"));
    cases.add(
        new Case(
            "delta zero",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, "0"),
            400,
            "VALIDATION_FAILED",
            "lines[0].delta"));
    cases.add(
        new Case(
            "delta null",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, "null"),
            400,
            "VALIDATION_FAILED",
            "lines[0]"));
    cases.add(
        new Case(
            "unknown state",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, 1).replace("\"available\"", "\"sellable\""),
            400,
            "VALIDATION_FAILED",
            "lines[0].state"));
    cases.add(
        new Case(
            "committed is not adjustable",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, 1).replace("\"available\"", "\"committed\""),
            400,
            "VALIDATION_FAILED",
            "lines[0].state"));
    cases.add(
        new Case(
            "unknown reason",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, 1).replace("correction", "magic"),
            400,
            "VALIDATION_FAILED",
            "reason"));
    cases.add(
        new Case(
            "reservation reason",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, 1).replace("correction", "reservation"),
            400,
            "VALIDATION_FAILED",
            "reason"));
    cases.add(
        new Case(
            "missing reason",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, 1).replace("\"reason\":\"correction\",", ""),
            400,
            "VALIDATION_FAILED",
            "reason"));
    cases.add(
        new Case(
            "missing lines",
            "POST",
            adj,
            json,
            "{\"reason\":\"correction\"}",
            400,
            "VALIDATION_FAILED",
            "lines"));
    cases.add(
        new Case(
            "empty lines",
            "POST",
            adj,
            json,
            "{\"reason\":\"correction\",\"lines\":[]}",
            400,
            "VALIDATION_FAILED",
            "lines"));
    cases.add(
        new Case("too many lines", "POST", adj, json, many, 400, "VALIDATION_FAILED", "lines"));
    cases.add(
        new Case(
            "unknown field",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, 1).replace("\"delta\"", "\"delat\""),
            400,
            "VALIDATION_FAILED",
            "lines[0].delat"));
    cases.add(
        new Case(
            "bad sku",
            "POST",
            adj,
            json,
            adjust.formatted("bad sku!", location, 1),
            400,
            "VALIDATION_FAILED",
            "lines[0].sku"));
    cases.add(
        new Case(
            "unknown sku",
            "POST",
            adj,
            json,
            adjust.formatted("NO-SUCH-SKU", location, 1),
            422,
            "UNKNOWN_SKU",
            "lines[0].sku"));
    cases.add(
        new Case(
            "unknown location",
            "POST",
            adj,
            json,
            adjust.formatted(sku, "NO-SUCH-WH", 1),
            422,
            "UNKNOWN_LOCATION",
            "lines[0].location"));
    cases.add(
        new Case(
            "below zero",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, -11),
            422,
            "NEGATIVE_BALANCE",
            null));
    cases.add(
        new Case(
            "stale changeFrom",
            "POST",
            adj,
            json,
            "{\"reason\":\"cycle_count\",\"lines\":[{\"sku\":\"%s\",\"location\":\"%s\",\"state\":\"available\",\"setTo\":4,\"changeFrom\":9}]}"
                .formatted(sku, location),
            409,
            "CHANGE_FROM_STALE",
            null));
    cases.add(new Case("oversized body", "POST", adj, json, huge, 413, "PAYLOAD_TOO_LARGE", null));
    cases.add(
        new Case(
            "wrong content type",
            "POST",
            adj,
            "text/plain",
            adjust.formatted(sku, location, 1),
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            null));
    cases.add(
        new Case(
            "bad idempotency key",
            "POST",
            adj,
            json,
            adjust.formatted(sku, location, 1),
            400,
            "INVALID_IDEMPOTENCY_KEY",
            null));
    cases.add(
        new Case(
            "negative quantity",
            "POST",
            res,
            json,
            reserve.formatted(sku, location, -1),
            400,
            "VALIDATION_FAILED",
            "lines[0].quantity"));
    cases.add(
        new Case(
            "zero quantity",
            "POST",
            res,
            json,
            reserve.formatted(sku, location, 0),
            400,
            "VALIDATION_FAILED",
            "lines[0].quantity"));
    cases.add(
        new Case(
            "huge quantity",
            "POST",
            res,
            json,
            reserve.formatted(sku, location, "10000000000"),
            400,
            "VALIDATION_FAILED",
            "lines[0].quantity"));
    cases.add(
        new Case(
            "more than available",
            "POST",
            res,
            json,
            reserve.formatted(sku, location, 11),
            409,
            "INSUFFICIENT_STOCK",
            null));
    cases.add(
        new Case(
            "reservation of unknown sku",
            "POST",
            res,
            json,
            reserve.formatted("NO-SUCH-SKU", location, 1),
            422,
            "UNKNOWN_SKU",
            "lines[0].sku"));
    cases.add(
        new Case(
            "duplicate lines",
            "POST",
            res,
            json,
            "{\"reference\":\"r\",\"lines\":[{\"sku\":\"%1$s\",\"location\":\"%2$s\",\"quantity\":1},{\"sku\":\"%1$s\",\"location\":\"%2$s\",\"quantity\":1}]}"
                .formatted(sku, location),
            400,
            "VALIDATION_FAILED",
            "lines[1]"));
    cases.add(
        new Case(
            "missing reference",
            "POST",
            res,
            json,
            "{\"lines\":[{\"sku\":\"%s\",\"location\":\"%s\",\"quantity\":1}]}"
                .formatted(sku, location),
            400,
            "VALIDATION_FAILED",
            "reference"));
    cases.add(
        new Case(
            "expiry too long",
            "POST",
            res,
            json,
            "{\"reference\":\"r\",\"expiresInSeconds\":99999999,\"lines\":[{\"sku\":\"%s\",\"location\":\"%s\",\"quantity\":1}]}"
                .formatted(sku, location),
            400,
            "VALIDATION_FAILED",
            "expiresInSeconds"));
    cases.add(
        new Case(
            "release of unknown reservation",
            "POST",
            res + "/6c3b9a0e-7d1f-4c55-9a59-0d3f0b4a1c2e/release",
            json,
            "",
            404,
            "RESERVATION_NOT_FOUND",
            null));
    cases.add(
        new Case(
            "extend with negative",
            "POST",
            res + "/6c3b9a0e-7d1f-4c55-9a59-0d3f0b4a1c2e/extend",
            json,
            "{\"expiresInSeconds\":-5}",
            400,
            "VALIDATION_FAILED",
            "expiresInSeconds"));
    cases.add(
        new Case(
            "location with bad type",
            "PUT",
            "/api/v1/locations/" + Api.unique("WH"),
            json,
            "{\"name\":\"x\",\"type\":\"CASTLE\"}",
            400,
            "VALIDATION_FAILED",
            "type"));
    cases.add(
        new Case(
            "item with negative cost",
            "PUT",
            "/api/v1/items/" + Api.unique("SKU"),
            json,
            "{\"name\":\"x\",\"unitCost\":-1}",
            400,
            "VALIDATION_FAILED",
            "unitCost"));
    cases.add(
        new Case(
            "item code too long",
            "PUT",
            "/api/v1/items/" + "A".repeat(65),
            json,
            "{\"name\":\"x\"}",
            400,
            "VALIDATION_FAILED",
            "sku"));
    cases.add(
        new Case(
            "unknown item",
            "GET",
            "/api/v1/inventory/NO-SUCH-SKU",
            null,
            null,
            404,
            "ITEM_NOT_FOUND",
            null));
    cases.add(
        new Case(
            "unknown location filter",
            "GET",
            "/api/v1/inventory?location=NO-SUCH-WH",
            null,
            null,
            404,
            "LOCATION_NOT_FOUND",
            null));
    cases.add(
        new Case(
            "forged cursor",
            "GET",
            "/api/v1/ledger?after=bm9wZQ",
            null,
            null,
            400,
            "INVALID_CURSOR",
            null));
    cases.add(
        new Case(
            "limit zero", "GET", "/api/v1/ledger?limit=0", null, null, 400, "INVALID_LIMIT", null));
    cases.add(
        new Case(
            "limit huge",
            "GET",
            "/api/v1/items?limit=100000",
            null,
            null,
            400,
            "INVALID_LIMIT",
            null));
    cases.add(
        new Case("no such path", "GET", "/api/v1/warehouses", null, null, 404, "NOT_FOUND", null));
    cases.add(
        new Case(
            "wrong method",
            "DELETE",
            "/api/v1/inventory/adjustments",
            null,
            null,
            405,
            "METHOD_NOT_ALLOWED",
            null));
    return cases;
  }

  @Test
  void everyBadRequestIsAProblemWithAStableCodeAndChangesNothing() {
    // scoped to this test's SKU: other tests' reservations may expire meanwhile
    long ledgerBefore = Db.ledgerEntries(sku);
    long sequenceBefore = Db.balance(sku, location).get("sequence");
    List<String> failures = new ArrayList<>();

    for (Case c : cases()) {
      var request = given();
      if (c.contentType() != null) {
        request = request.contentType(c.contentType());
      }
      if (c.body() != null) {
        request = request.body(c.body());
      }
      if (c.name().equals("bad idempotency key")) {
        request = request.header("Idempotency-Key", "k".repeat(300));
      }
      ExtractableResponse<Response> response =
          request.request(c.method(), c.path()).then().extract();
      String problem = check(c, response);
      if (problem != null) {
        failures.add(c.name() + ": " + problem);
      }
    }

    assertThat(failures).isEmpty();
    assertThat(Db.ledgerEntries(sku)).as("no ledger entry").isEqualTo(ledgerBefore);
    assertThat(Db.balance(sku, location).get("sequence"))
        .as("no change, so no inventory event either")
        .isEqualTo(sequenceBefore);
    assertThat(Db.scalar("SELECT count(*) FROM reservation_line WHERE sku = ?", sku))
        .as("no reservation")
        .isZero();
    assertThat(Db.scalar("SELECT count(*) FROM item WHERE sku IN ('NO-SUCH-SKU', 'X-1')")).isZero();
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(10);
  }

  private static String check(Case c, ExtractableResponse<Response> response) {
    if (response.statusCode() != c.status()) {
      return "status "
          + response.statusCode()
          + " (wanted "
          + c.status()
          + "): "
          + response.body().asString();
    }
    if (response.contentType() == null
        || !response.contentType().startsWith("application/problem+json")) {
      return "content type " + response.contentType();
    }
    if (!c.code().equals(response.path("code"))) {
      return "code " + response.path("code") + " (wanted " + c.code() + ")";
    }
    if (!("https://onhand.dev/problems/" + c.code().toLowerCase().replace('_', '-'))
        .equals(response.path("type"))) {
      return "type " + response.path("type");
    }
    if (!Integer.valueOf(c.status()).equals(response.path("status"))) {
      return "status member " + response.path("status");
    }
    if (c.field() != null) {
      List<String> fields = response.path("errors.field");
      if (fields == null || Stream.of(c.field()).noneMatch(fields::contains)) {
        return "fields " + fields + " (wanted " + c.field() + ")";
      }
    }
    return null;
  }
}
