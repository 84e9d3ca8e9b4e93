package dev.onhand.stock.messaging;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.platform.testing.Broker;
import dev.onhand.stock.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Locations and items are published as events in the transaction of their PUT: one per create or
 * update, none for a replayed Idempotency-Key.
 */
@QuarkusTest
class ReferenceDataEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(1500);

  @Test
  void eachLocationWritePublishesOneEventAndAReplayNone() throws Exception {
    String code = Api.unique("WH");
    Map<String, Object> created = Map.of("name", "Dock " + code, "type", "WAREHOUSE");
    Map<String, Object> updated =
        Map.of("name", "3PL " + code, "type", "THIRD_PARTY", "authoritative", true);
    String createKey = Api.unique("key");
    String updateKey = Api.unique("key");
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.stock", StockEvents.LOCATION_CHANGED)) {
      Response first = put("/api/v1/locations/{id}", code, createKey, created, 201);
      put("/api/v1/locations/{id}", code, createKey, created, 201).then().header(REPLAYED, "true");
      Response second = put("/api/v1/locations/{id}", code, updateKey, updated, 200);
      put("/api/v1/locations/{id}", code, updateKey, updated, 200).then().header(REPLAYED, "true");

      List<Broker.Received> events = eventsOf(tap, code, 2);
      assertLocationEvent(events.get(0), code, first.jsonPath());
      assertThat(events.get(0).data().path("type").asText()).isEqualTo("WAREHOUSE");
      assertThat(events.get(0).data().path("authoritative").asBoolean()).isFalse();
      assertLocationEvent(events.get(1), code, second.jsonPath());
      assertThat(events.get(1).data().path("name").asText()).isEqualTo("3PL " + code);
      assertThat(events.get(1).data().path("type").asText()).isEqualTo("THIRD_PARTY");
      assertThat(events.get(1).data().path("authoritative").asBoolean()).isTrue();
    }
  }

  @Test
  void eachItemWritePublishesOneEventAndAReplayNone() throws Exception {
    String sku = Api.unique("SKU");
    Map<String, Object> created = Map.of("name", "Mug " + sku);
    Map<String, Object> updated =
        Map.of(
            "name", "Big mug " + sku, "unitCost", new BigDecimal("4.125"), "lowStockThreshold", 7);
    String createKey = Api.unique("key");
    String updateKey = Api.unique("key");
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.stock", StockEvents.ITEM_CHANGED)) {
      Response first = put("/api/v1/items/{id}", sku, createKey, created, 201);
      put("/api/v1/items/{id}", sku, createKey, created, 201).then().header(REPLAYED, "true");
      Response second = put("/api/v1/items/{id}", sku, updateKey, updated, 200);
      put("/api/v1/items/{id}", sku, updateKey, updated, 200).then().header(REPLAYED, "true");

      List<Broker.Received> events = eventsOf(tap, sku, 2);
      assertItemEvent(events.get(0), sku, first.jsonPath());
      assertThat(events.get(0).data().path("unitCost").decimalValue()).isEqualByComparingTo("0");
      assertThat(events.get(0).data().path("lowStockThreshold").asLong()).isZero();
      assertItemEvent(events.get(1), sku, second.jsonPath());
      assertThat(events.get(1).data().path("name").asText()).isEqualTo("Big mug " + sku);
      assertThat(events.get(1).data().path("unitCost").decimalValue())
          .isEqualByComparingTo("4.125");
      assertThat(events.get(1).data().path("lowStockThreshold").asLong()).isEqualTo(7);
    }
  }

  @Test
  void aKeyReusedWithAnotherBodyIsRefusedAndPublishesNothing() throws Exception {
    String code = Api.unique("WH");
    String key = Api.unique("key");
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.stock", StockEvents.LOCATION_CHANGED)) {
      put("/api/v1/locations/{id}", code, key, Map.of("name", "A", "type", "STORE"), 201);
      put("/api/v1/locations/{id}", code, key, Map.of("name", "B", "type", "STORE"), 422);

      List<Broker.Received> events = eventsOf(tap, code, 1);
      assertThat(events.get(0).data().path("name").asText()).isEqualTo("A");
    }
  }

  private static final String REPLAYED = "Idempotent-Replayed";

  private static Response put(
      String path, String id, String key, Map<String, Object> body, int status) {
    Response response = json().header("Idempotency-Key", key).body(body).put(path, id).andReturn();
    assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
    return response;
  }

  /** The events of one subject: exactly {@code expected} of them, in the order published. */
  private static List<Broker.Received> eventsOf(Broker.Tap tap, String subject, int expected)
      throws InterruptedException {
    List<Broker.Received> events = new java.util.ArrayList<>();
    for (int i = 0; i < expected; i++) {
      events.add(tap.await(r -> subject.equals(r.envelope().path("subject").asText()), WAIT));
    }
    assertThat(tap.drain(QUIET))
        .filteredOn(r -> subject.equals(r.envelope().path("subject").asText()))
        .as("nothing more for " + subject + ": a replayed key publishes nothing")
        .isEmpty();
    for (Broker.Received event : events) {
      assertThat(MessageSchemas.violations(event.envelope())).as(event.raw()).isEmpty();
      assertThat(event.envelope().path("source").asText()).isEqualTo(StockEvents.SOURCE);
      assertThat(event.properties().getType()).isEqualTo(event.type());
    }
    return events;
  }

  /** The event shows the location as the PUT's response did (but createdAt). */
  private static void assertLocationEvent(Broker.Received event, String code, JsonPath api) {
    JsonNode data = event.data();
    assertThat(event.type()).isEqualTo(StockEvents.LOCATION_CHANGED);
    assertThat(data.path("code").asText()).isEqualTo(code);
    assertThat(data.path("name").asText()).isEqualTo(api.getString("name"));
    assertThat(data.path("type").asText()).isEqualTo(api.getString("type"));
    assertThat(data.path("authoritative").asBoolean()).isEqualTo(api.getBoolean("authoritative"));
    assertSameInstant(data.path("updatedAt").asText(), api.getString("updatedAt"));
  }

  private static void assertItemEvent(Broker.Received event, String sku, JsonPath api) {
    JsonNode data = event.data();
    assertThat(event.type()).isEqualTo(StockEvents.ITEM_CHANGED);
    assertThat(data.path("sku").asText()).isEqualTo(sku);
    assertThat(data.path("name").asText()).isEqualTo(api.getString("name"));
    assertThat(data.path("unitCost").decimalValue())
        .isEqualByComparingTo(new BigDecimal(api.getString("unitCost")));
    assertThat(data.path("lowStockThreshold").asLong()).isEqualTo(api.getLong("lowStockThreshold"));
    assertSameInstant(data.path("updatedAt").asText(), api.getString("updatedAt"));
  }

  private static void assertSameInstant(String event, String api) {
    assertThat(OffsetDateTime.parse(event).toInstant())
        .as("updatedAt %s against the API's %s", event, api)
        .isEqualTo(OffsetDateTime.parse(api).toInstant());
  }
}
