package dev.onhand.returns.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Requests to returns under test, as an integrator sends them. */
public final class Returns {
  private Returns() {}

  public static RequestSpecification json() {
    return given().contentType(ContentType.JSON).accept(ContentType.JSON);
  }

  /** An RMA body for an order id; {@code skuQuantities} alternates SKU and quantity. */
  public static Map<String, Object> authorization(String orderId, Object... skuQuantities) {
    List<Map<String, Object>> lines = new ArrayList<>();
    for (int i = 0; i < skuQuantities.length; i += 2) {
      lines.add(
          Map.of("sku", skuQuantities[i], "quantity", skuQuantities[i + 1], "reason", "too small"));
    }
    return Map.of("orderId", orderId, "lines", lines);
  }

  public static String authorize(Map<String, Object> body) {
    return json().body(body).post("/api/v1/returns").then().statusCode(201).extract().path("id");
  }

  /** A receipt line of units in one condition. */
  public static Map<String, Object> line(String sku, long quantity, String condition) {
    return Map.of("sku", sku, "quantity", quantity, "condition", condition);
  }

  @SafeVarargs
  public static Map<String, Object> receipt(String location, Map<String, Object>... lines) {
    return Map.of("location", location, "lines", List.of(lines));
  }
}
