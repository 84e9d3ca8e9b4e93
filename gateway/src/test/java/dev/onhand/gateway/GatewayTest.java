package dev.onhand.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import dev.onhand.gateway.support.RecordingUpstream;
import dev.onhand.gateway.support.Suite;
import dev.onhand.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Through the gateway: to the real stock service, and to a recording stand-in where a test must see
 * exactly what arrived upstream (or that nothing did).
 */
@QuarkusTest
@QuarkusTestResource(value = Suite.class, restrictToAnnotatedClass = true)
class GatewayTest {
  private static final String WRITER = "writer-key";
  private static final String READER = "reader-key";

  private static RequestSpecification as(String key) {
    return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
  }

  @Test
  void aRequestIsRoutedToStockAndAnsweredAndTheActorIsTheKeysName() {
    String location = "GW-" + UUID.randomUUID().toString().substring(0, 8);
    String sku = "GW-" + UUID.randomUUID().toString().substring(0, 8);
    as(WRITER)
        .body(Map.of("name", "Gateway WH", "type", "WAREHOUSE"))
        .put("/api/v1/locations/{code}", location)
        .then()
        .statusCode(201);
    as(WRITER)
        .body(Map.of("name", "Gateway item"))
        .put("/api/v1/items/{sku}", sku)
        .then()
        .statusCode(201);
    as(WRITER)
        .header("X-Actor", "someone-else") // a client cannot choose its actor
        .body(
            Map.of(
                "reason",
                "received",
                "lines",
                List.of(
                    Map.of("sku", sku, "location", location, "state", "available", "delta", 3))))
        .post("/api/v1/inventory/adjustments")
        .then()
        .statusCode(201)
        .header("X-Request-Id", org.hamcrest.Matchers.notNullValue());

    as(READER)
        .get("/api/v1/inventory/{sku}", sku)
        .then()
        .statusCode(200)
        .body("totals.available", is(3));
    as(READER)
        .queryParam("sku", sku)
        .get("/api/v1/ledger")
        .then()
        .statusCode(200)
        .body("items[0].actor", is("writer"));
    // a service's problem+json passes through untouched
    as(WRITER)
        .body("{\"reason\":")
        .post("/api/v1/inventory/adjustments")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", is("MALFORMED_JSON"));
  }

  @Test
  void theRequestIdAndTraceContextArriveUpstreamAndCredentialsDoNot() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    var response =
        as(WRITER)
            .header("X-Request-Id", "req-12345")
            .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
            .body("{\"po\":1}")
            .post("/api/v1/purchase-orders/trace-check")
            .then()
            .statusCode(200)
            .extract();

    assertThat(response.header("X-Request-Id")).isEqualTo("req-12345");
    var arrived = last("/api/v1/purchase-orders/trace-check");
    assertThat(arrived.headers().get("X-Request-Id")).isEqualTo("req-12345");
    assertThat(arrived.headers().get("traceparent")).contains(traceId);
    assertThat(arrived.headers().get("traceparent"))
        .as("the gateway's own span is the parent")
        .doesNotContain("00f067aa0ba902b7");
    assertThat(arrived.headers().get("X-Actor")).isEqualTo("writer");
    assertThat(arrived.headers().get("Authorization")).isNull();

    var generated = as(WRITER).body("{}").post("/api/v1/purchase-orders/no-id").then().extract();
    assertThat(generated.header("X-Request-Id")).matches("[0-9a-f-]{36}");
    assertThat(last("/api/v1/purchase-orders/no-id").headers().get("traceparent"))
        .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
  }

  @Test
  void withoutAValidKeyOrScopeNothingReachesTheUpstream() {
    long before = RecordingUpstream.count("/api/v1/purchase-orders/guarded");

    given()
        .body("{}")
        .contentType(ContentType.JSON)
        .post("/api/v1/purchase-orders/guarded")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("code", is("UNAUTHENTICATED"));
    as("not-a-key")
        .body("{}")
        .post("/api/v1/purchase-orders/guarded")
        .then()
        .statusCode(401)
        .body("code", is("UNAUTHENTICATED"));
    given()
        .header("X-Api-Key", "wrong")
        .body("{}")
        .post("/api/v1/purchase-orders/guarded")
        .then()
        .statusCode(401);
    as(READER)
        .body("{}")
        .post("/api/v1/purchase-orders/guarded")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("code", is("FORBIDDEN"));
    as(READER).body("{}").put("/api/v1/items/X-1").then().statusCode(403);

    assertThat(RecordingUpstream.count("/api/v1/purchase-orders/guarded")).isEqualTo(before);
    given()
        .header("X-Api-Key", WRITER)
        .body("{}")
        .post("/api/v1/purchase-orders/guarded")
        .then()
        .statusCode(200);
    assertThat(RecordingUpstream.count("/api/v1/purchase-orders/guarded")).isEqualTo(before + 1);
  }

  @Test
  void aValidJwtIsRoutedAsItsSubjectAndEveryFlawedOneRefusedBeforeTheUpstream() {
    String path = "/api/v1/purchase-orders/jwt-" + UUID.randomUUID();
    String good = Tokens.issue("erp-1", "inventory:read receiving:write");
    as(good).body("{}").post(path).then().statusCode(200);
    var arrived = last(path);
    assertThat(arrived.headers().get("X-Actor")).isEqualTo("jwt:erp-1");
    assertThat(arrived.headers().get("Authorization")).isNull();
    as(good).body("{}").post(path).then().statusCode(200); // remembered, still valid
    assertThat(RecordingUpstream.count(path)).isEqualTo(2);

    Map<String, String> flawed =
        Map.of(
            "expired",
            Tokens.sign(
                "issuer-private.pem", "erp-1", "admin", Tokens.ISSUER, Tokens.AUDIENCE, -120),
            "another issuer",
            Tokens.sign(
                "issuer-private.pem", "erp-1", "admin", "https://evil.test", Tokens.AUDIENCE, 60),
            "another audience",
            Tokens.sign("issuer-private.pem", "erp-1", "admin", Tokens.ISSUER, "other-api", 60),
            "signed by a stranger",
            Tokens.sign(
                "stranger-private.pem", "erp-1", "admin", Tokens.ISSUER, Tokens.AUDIENCE, 60),
            "tampered",
            good.substring(0, good.lastIndexOf('.') - 4)
                + "AAAA"
                + good.substring(good.lastIndexOf('.')),
            "not a token",
            "aaa.bbb.ccc");
    flawed.forEach(
        (what, token) ->
            as(token)
                .body("{}")
                .post(path)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("code", is("UNAUTHENTICATED")));
    as(Tokens.issue("erp-2", "inventory:read"))
        .body("{}")
        .post(path)
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"));
    assertThat(RecordingUpstream.count(path))
        .as("nothing flawed reached the upstream")
        .isEqualTo(2);
  }

  @Test
  void eachJwtSubjectHasItsOwnRateLimit() {
    String path = "/api/v1/purchase-orders/jwt-rate-" + UUID.randomUUID();
    String busy = Tokens.issue("busy-" + UUID.randomUUID(), "receiving:write");
    int ok = 0;
    int status = 200;
    for (int i = 0; i < 6 && status == 200; i++) {
      status = as(busy).body("{}").post(path).then().extract().statusCode();
      ok += status == 200 ? 1 : 0;
    }
    assertThat(ok).as("the burst").isEqualTo(3);
    assertThat(status).isEqualTo(429);
    as(Tokens.issue("calm-" + UUID.randomUUID(), "receiving:write"))
        .body("{}")
        .post(path)
        .then()
        .statusCode(200);
  }

  @Test
  void aKeyOverItsRateGets429WithRetryAfterAndOtherKeysAreUnaffected() {
    long before = RecordingUpstream.count("/api/v1/purchase-orders/limited");
    int ok = 0;
    ExtractableResponse<Response> refused = null;
    for (int i = 0; i < 5 && refused == null; i++) {
      var r = as("limited-key").body("{}").post("/api/v1/purchase-orders/limited").then().extract();
      if (r.statusCode() == 429) {
        refused = r;
      } else {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("RateLimit-Limit")).isEqualTo("2");
        ok++;
      }
    }
    assertThat(ok).as("the burst").isEqualTo(2);
    assertThat(refused).isNotNull();
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.<String>path("code")).isEqualTo("RATE_LIMITED");
    assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
    assertThat(RecordingUpstream.count("/api/v1/purchase-orders/limited")).isEqualTo(before + 2);
    as(WRITER).body("{}").post("/api/v1/purchase-orders/limited").then().statusCode(200);
  }

  @Test
  void anUpstreamThatIsDownIs502QuicklyAndThenTheBreakerAnswers503() {
    warmUpClient();
    long start = System.nanoTime();
    as(WRITER)
        .body("{}")
        .post("/api/v1/returns")
        .then()
        .statusCode(502)
        .contentType("application/problem+json")
        .body("code", is("UPSTREAM_UNREACHABLE"));
    assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(2500);

    int status = 502;
    for (int i = 0; i < 10 && status == 502; i++) {
      status = as(WRITER).body("{}").post("/api/v1/returns").then().extract().statusCode();
    }
    assertThat(status).as("the breaker opened").isEqualTo(503);
    as(WRITER)
        .body("{}")
        .post("/api/v1/returns")
        .then()
        .statusCode(503)
        .body("code", is("UPSTREAM_UNAVAILABLE"))
        .header("Retry-After", "5");
  }

  @Test
  void anUpstreamThatHangsIs504WithinItsTimeout() {
    warmUpClient();
    long start = System.nanoTime();
    as(WRITER)
        .get("/api/v1/orders/hang")
        .then()
        .statusCode(504)
        .contentType("application/problem+json")
        .body("code", is("UPSTREAM_TIMEOUT"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(ms).as("configured timeout 1 s").isBetween(900L, 4000L);
  }

  @Test
  void largeBodiesStreamThroughIntactBothWays() throws Exception {
    byte[] big = new byte[5 * 1024 * 1024 + 17];
    new java.util.Random(7).nextBytes(big);
    byte[] echoed =
        as(WRITER)
            .contentType("application/octet-stream")
            .body(big)
            .post("/api/v1/purchase-orders/echo")
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    assertThat(sha256(echoed)).isEqualTo(sha256(big));

    int size = 8 * 1024 * 1024;
    byte[] large =
        as(READER)
            .queryParam("bytes", size)
            .get("/api/v1/purchase-orders/large")
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    assertThat(large).hasSize(size);
    for (int i = 0; i < size; i += 4099) {
      assertThat(large[i]).isEqualTo((byte) (i * 31 + 7));
    }
  }

  @Test
  void webhooksNeedNoKeyButHaveASizeLimit() {
    long before = RecordingUpstream.count("/webhooks/shopify/main");
    given()
        .contentType(ContentType.JSON)
        .body("{\"id\":1}")
        .post("/webhooks/shopify/main")
        .then()
        .statusCode(200);
    assertThat(RecordingUpstream.count("/webhooks/shopify/main")).isEqualTo(before + 1);
    given()
        .contentType(ContentType.JSON)
        .body("{\"x\":\"" + "a".repeat(2000) + "\"}")
        .post("/webhooks/shopify/main")
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("code", is("PAYLOAD_TOO_LARGE"));
    assertThat(RecordingUpstream.count("/webhooks/shopify/main")).isEqualTo(before + 1);
  }

  @Test
  void theMergedOpenApiAndItsUiAreServed() {
    given()
        .get("/api/openapi")
        .then()
        .statusCode(200)
        .body("info.title", is("Onhand API"))
        .body(
            "paths.'/api/v1/reservations'.post.responses.'201'",
            org.hamcrest.Matchers.notNullValue())
        .body(
            "paths.'/api/v1/purchase-orders/{id}/receipts'.post.responses.'201'",
            org.hamcrest.Matchers.notNullValue())
        .body("paths.'/api/v1/orders'.post.responses.'202'", org.hamcrest.Matchers.notNullValue())
        .body("components.securitySchemes.apiKey.name", is("X-Api-Key"));
    given().get("/api/docs/").then().statusCode(200);
    given().get("/q/health/ready").then().statusCode(200).body("checks[0].data.stock", is("UP"));
  }

  /**
   * The test's first request pays for REST Assured's own start (seconds on a loaded machine); the
   * timed tests must measure the gateway, not that.
   */
  private static void warmUpClient() {
    given().get("/q/health/live").then().statusCode(200);
  }

  private static RecordingUpstream.Received last(String path) {
    return RecordingUpstream.RECEIVED.stream()
        .filter(r -> r.path().equals(path))
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
