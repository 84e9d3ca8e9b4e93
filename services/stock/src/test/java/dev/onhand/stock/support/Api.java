package dev.onhand.stock.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Sets up stock through the public API; every test makes its own SKUs and locations. */
public final class Api {
  private Api() {}

  public static RequestSpecification json() {
    return given().contentType(ContentType.JSON).accept(ContentType.JSON);
  }

  /** A name no other test (or earlier run) uses. */
  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static String location() {
    String code = unique("WH");
    json()
        .body(Map.of("name", "Warehouse " + code, "type", "WAREHOUSE"))
        .put("/api/v1/locations/{code}", code)
        .then()
        .statusCode(201);
    return code;
  }

  public static String item() {
    String sku = unique("SKU");
    json()
        .body(Map.of("name", "Item " + sku, "unitCost", 10, "lowStockThreshold", 2))
        .put("/api/v1/items/{sku}", sku)
        .then()
        .statusCode(201);
    return sku;
  }

  /** Adds {@code quantity} units to a bucket and returns nothing; fails the test if refused. */
  public static void stock(String sku, String location, String state, long quantity) {
    json()
        .body(
            Map.of(
                "reason",
                "received",
                "reference",
                "test:setup",
                "lines",
                List.of(
                    Map.of("sku", sku, "location", location, "state", state, "delta", quantity))))
        .post("/api/v1/inventory/adjustments")
        .then()
        .statusCode(201);
  }

  public static Map<String, Object> reservation(
      String reference, String sku, String location, long quantity, Long expiresInSeconds) {
    var line = Map.of("sku", sku, "location", location, "quantity", quantity);
    return expiresInSeconds == null
        ? Map.of("reference", reference, "lines", List.of(line))
        : Map.of(
            "reference", reference, "lines", List.of(line), "expiresInSeconds", expiresInSeconds);
  }

  /** The quantity in one state of (sku, location), as GET /inventory/{sku} shows it. */
  public static long quantity(String sku, String location, String state) {
    List<Map<String, Object>> locations =
        given()
            .get("/api/v1/inventory/{sku}", sku)
            .then()
            .statusCode(200)
            .extract()
            .path("locations");
    return locations.stream()
        .filter(l -> location.equals(l.get("location")))
        .map(l -> ((Number) l.get(state)).longValue())
        .findFirst()
        .orElse(0L);
  }
}
