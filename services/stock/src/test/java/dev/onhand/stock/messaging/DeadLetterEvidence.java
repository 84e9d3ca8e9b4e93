package dev.onhand.stock.messaging;

import static io.restassured.RestAssured.given;

import dev.onhand.platform.testing.Broker;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Where a dead-lettered message shows: the service's metrics and the exception register. */
final class DeadLetterEvidence {
  private DeadLetterEvidence() {}

  /** The deliveries of message {@code id} found in {@code deadLetterQueue} within 20 s. */
  static List<Broker.Received> awaitDeadLettered(Broker broker, String deadLetterQueue, String id)
      throws Exception {
    List<Broker.Received> dead = List.of();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (dead.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      dead =
          broker.take(deadLetterQueue).stream()
              .filter(r -> id.equals(r.envelope().path("id").asText()))
              .toList();
    }
    return dead;
  }

  /** {@code onhand_messages_dead_lettered_total} of one consumer, 0 before its first. */
  static double deadLetteredCount(String consumer) {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    return metrics
        .lines()
        .filter(line -> line.startsWith("onhand_messages_dead_lettered_total{"))
        .filter(line -> line.contains("consumer=\"" + consumer + "\""))
        // the value follows the labels; a timestamp or an exemplar may follow it
        .mapToDouble(
            line ->
                Double.parseDouble(line.substring(line.indexOf('}') + 1).trim().split("\\s+")[0]))
        .sum();
  }

  /** The register's MESSAGE_DEAD_LETTERED entries about this message, read page by page. */
  static List<Map<String, Object>> registerEntries(String messageId) {
    List<Map<String, Object>> found = new ArrayList<>();
    String after = null;
    do {
      var request = given().queryParam("type", "MESSAGE_DEAD_LETTERED").queryParam("limit", 500);
      if (after != null) {
        request.queryParam("after", after);
      }
      JsonPath page = request.get("/api/v1/exceptions").then().statusCode(200).extract().jsonPath();
      List<Map<String, Object>> items = page.getList("items");
      items.stream()
          .filter(e -> ("message:" + messageId).equals(e.get("reference")))
          .forEach(found::add);
      after = page.getString("next");
    } while (after != null);
    return found;
  }

  /** The admin list's entries for this message, read page by page. */
  static List<Map<String, Object>> listed(String consumer, String messageId) {
    List<Map<String, Object>> found = new ArrayList<>();
    String after = null;
    do {
      var request = given().queryParam("consumer", consumer).queryParam("limit", 500);
      if (after != null) {
        request.queryParam("after", after);
      }
      JsonPath page =
          request
              .get("/api/v1/admin/stock/dead-letters")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      List<Map<String, Object>> items = page.getList("items");
      items.stream().filter(e -> messageId.equals(e.get("messageId"))).forEach(found::add);
      after = page.getString("next");
    } while (after != null);
    return found;
  }
}
