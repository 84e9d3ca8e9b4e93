package dev.onhand.receiving.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Requests to receiving under test, as an integrator sends them. */
public final class Receiving {
  private Receiving() {}

  public static RequestSpecification json() {
    return given().contentType(ContentType.JSON).accept(ContentType.JSON);
  }

  /** A PO body; {@code skuQuantities} alternates SKU and quantity. */
  public static Map<String, Object> order(String number, String location, Object... skuQuantities) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("number", number);
    body.put("supplier", "Acme Supply");
    body.put("location", location);
    body.put("expectedDate", "2026-12-01");
    body.put("lines", lines("quantity", skuQuantities));
    return body;
  }

  /** Creates a PO and returns its id. */
  public static String create(Map<String, Object> order) {
    return json()
        .body(order)
        .post("/api/v1/purchase-orders")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** A receipt line of good and damaged units. */
  public static Map<String, Object> line(String sku, long good, long damaged) {
    return Map.of("sku", sku, "good", good, "damaged", damaged);
  }

  public static Map<String, Object> receipt(Map<String, Object>... lines) {
    return Map.of("lines", List.of(lines));
  }

  static List<Map<String, Object>> lines(String quantityName, Object... skuQuantities) {
    List<Map<String, Object>> lines = new ArrayList<>();
    for (int i = 0; i < skuQuantities.length; i += 2) {
      lines.add(Map.of("sku", skuQuantities[i], quantityName, skuQuantities[i + 1]));
    }
    return lines;
  }
}
