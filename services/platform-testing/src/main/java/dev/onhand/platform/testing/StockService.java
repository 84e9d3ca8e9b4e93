package dev.onhand.platform.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real stock service beside the service under test (its packaged jar, on the tests' database
 * and RabbitMQ virtual host), and what the tests ask of it through its API.
 */
public class StockService implements QuarkusTestResourceLifecycleManager {
  private static volatile String url;
  private ServiceProcess stock;

  @Override
  public Map<String, String> start() {
    stock = ServiceProcess.start("stock", Map.of("ONHAND_DB_NAME", "onhand_stock_test"));
    url = stock.url();
    return Map.of();
  }

  @Override
  public void stop() {
    if (stock != null) {
      stock.close();
    }
  }

  /** Where the stock service under test listens. */
  public static String url() {
    return url;
  }

  private static RequestSpecification stock() {
    return given().baseUri(url).contentType(ContentType.JSON).accept(ContentType.JSON);
  }

  /** A name no other test (or earlier run) uses. */
  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A new warehouse in stock, once the service under test has heard of it. */
  public static String location() {
    String code = unique("WH");
    stock()
        .body(Map.of("name", "Warehouse " + code, "type", "WAREHOUSE"))
        .put("/api/v1/locations/{code}", code)
        .then()
        .statusCode(201);
    awaitKnown("SELECT count(*) FROM known_location WHERE code = ?", code);
    return code;
  }

  /** A new item in stock, once the service under test has heard of it. */
  public static String item() {
    String sku = unique("SKU");
    stock()
        .body(Map.of("name", "Item " + sku, "unitCost", 4))
        .put("/api/v1/items/{sku}", sku)
        .then()
        .statusCode(201);
    awaitKnown("SELECT count(*) FROM known_item WHERE sku = ?", sku);
    return sku;
  }

  /** A new location of a type (WAREHOUSE, THIRD_PARTY, ...), once the service knows it. */
  public static String location(String prefix, String type) {
    String code = unique(prefix);
    stock()
        .body(Map.of("name", "Location " + code, "type", type))
        .put("/api/v1/locations/{code}", code)
        .then()
        .statusCode(201);
    awaitKnown("SELECT count(*) FROM known_location WHERE code = ?", code);
    return code;
  }

  /** Changes one bucket through stock's adjustments API (e.g. stock arriving). */
  public static void adjust(String sku, String location, String state, long delta) {
    stock()
        .body(
            Map.of(
                "reason",
                delta >= 0 ? "received" : "correction",
                "reference",
                "test:setup",
                "lines",
                List.of(Map.of("sku", sku, "location", location, "state", state, "delta", delta))))
        .post("/api/v1/inventory/adjustments")
        .then()
        .statusCode(201);
  }

  private static void awaitKnown(String sql, String key) {
    Jdbc receiving = Jdbc.ofApplication();
    await().atMost(Duration.ofSeconds(10)).until(() -> receiving.scalar(sql, key) == 1);
  }

  /** Every bucket of (sku, location) as stock's API shows it; empty when stock has none. */
  public static Map<String, Object> balance(String sku, String location) {
    List<Map<String, Object>> locations =
        stock()
            .get("/api/v1/inventory/{sku}", sku)
            .then()
            .statusCode(200)
            .extract()
            .path("locations");
    return locations.stream()
        .filter(l -> location.equals(l.get("location")))
        .findFirst()
        .orElse(Map.of());
  }

  public static long quantity(String sku, String location, String state) {
    Object value = balance(sku, location).get(state);
    return value == null ? 0 : ((Number) value).longValue();
  }

  /** Waits until stock shows {@code expected} in a bucket. */
  public static void awaitQuantity(String sku, String location, String state, long expected) {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                org.assertj.core.api.Assertions.assertThat(quantity(sku, location, state))
                    .as("%s %s@%s", state, sku, location)
                    .isEqualTo(expected));
  }

  /** The ledger entries of (sku, location), in sequence order. */
  public static List<Map<String, Object>> ledger(String sku, String location) {
    return stock()
        .queryParam("sku", sku)
        .queryParam("location", location)
        .queryParam("limit", 500)
        .get("/api/v1/ledger")
        .then()
        .statusCode(200)
        .extract()
        .path("items");
  }

  /**
   * Stock's invariants for a SKU, read from its database: no bucket below zero and every bucket
   * equal to the sum of its ledger entries.
   */
  public static void assertLedgerMatchesBalances(String sku) {
    Jdbc db = Jdbc.ofApplication().database("onhand_stock_test");
    String[][] buckets = {
      {"available", "available"},
      {"committed", "committed"},
      {"reserved", "reserved"},
      {"safety_stock", "safetyStock"},
      {"quality_control", "qualityControl"},
      {"damaged", "damaged"},
      {"incoming", "incoming"}
    };
    for (String[] bucket : buckets) {
      long broken =
          db.scalar(
              "SELECT count(*) FROM balance b WHERE b.sku = ? AND (b."
                  + bucket[0]
                  + " < 0 OR b."
                  + bucket[0]
                  + " <> (SELECT coalesce(sum(delta), 0) FROM ledger l WHERE l.sku = b.sku AND"
                  + " l.location = b.location AND l.state = ?))",
              sku,
              bucket[1]);
      org.assertj.core.api.Assertions.assertThat(broken)
          .as("balances of %s whose %s differs from its ledger or is negative", sku, bucket[1])
          .isZero();
    }
  }
}
