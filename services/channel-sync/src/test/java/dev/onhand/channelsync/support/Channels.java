package dev.onhand.channelsync.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Requests to channel-sync under test, as an operator or integrator sends them. */
public final class Channels {
  /** The Secret mounted for the webhook channels of these tests (secrets-dir in %test). */
  public static final String SECRET_NAME = "webhook-channels";

  public static final String SECRET_KEY = "signing-key";
  public static final String SECRET = "whsec-test-4f1c9a";
  public static final String SECRET_REFERENCE = "secret:" + SECRET_NAME + "/" + SECRET_KEY;

  private Channels() {}

  public static RequestSpecification json() {
    return given().contentType(ContentType.JSON).accept(ContentType.JSON);
  }

  /** Mounts the webhook secret where secret:<name>/<key> references are resolved from. */
  public static void mountSecret() {
    try {
      Path dir = Path.of("target/channel-secrets", SECRET_NAME);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(SECRET_KEY), SECRET + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A GENERIC_WEBHOOK channel body posting to the test receiver under {@code code}. */
  public static Map<String, Object> webhook(String code, List<String> locations) {
    mountSecret();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "GENERIC_WEBHOOK");
    body.put("endpoint", WebhookReceiver.get().url(code));
    body.put("credentials", Map.of("secret", SECRET_REFERENCE));
    body.put("settings", Map.of());
    body.put("eligibleLocations", locations);
    body.put("allowSplit", true);
    body.put("bufferUnits", 0);
    body.put("allocationPercent", 100);
    return body;
  }

  public static Map<String, Object> with(Map<String, Object> body, Object... keyValues) {
    Map<String, Object> copy = new LinkedHashMap<>(body);
    for (int i = 0; i < keyValues.length; i += 2) {
      copy.put((String) keyValues[i], keyValues[i + 1]);
    }
    return copy;
  }

  public static void put(String code, Map<String, Object> body, int status) {
    json().body(body).put("/api/v1/channels/{code}", code).then().statusCode(status);
  }

  public static void listing(String code, String sku, Map<String, Object> body) {
    json()
        .body(body)
        .put("/api/v1/channels/{code}/listings/{sku}", code, sku)
        .then()
        .statusCode(201);
  }

  public static void listing(String code, String sku) {
    listing(code, sku, Map.of("listingId", "L-" + sku));
  }

  /** The listing as the API shows it. */
  public static io.restassured.path.json.JsonPath listingOf(String code, String sku) {
    return json()
        .get("/api/v1/channels/{code}/listings/{sku}", code, sku)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** Waits until the receiver of {@code code} has applied {@code quantity} for {@code sku}. */
  public static WebhookReceiver.Received awaitApplied(String code, String sku, long quantity) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              List<WebhookReceiver.Received> applied =
                  WebhookReceiver.get().applied(code).stream()
                      .filter(r -> r.body().path("sku").asText().equals(sku))
                      .toList();
              return applied.isEmpty() ? null : applied.get(applied.size() - 1);
            },
            last -> last != null && last.quantity() == quantity);
  }
}
