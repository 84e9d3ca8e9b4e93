package dev.onhand.stock.contract;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Messages;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Producers and consumers held to {@code contracts/}: every message stock publishes validates
 * against its JSON Schema, and stock's consumers accept every example message of the contract.
 * (receiving.exception.raised and fulfillment.exception.raised have no consumer yet; ContractsTest
 * checks their examples.)
 */
@QuarkusTest
class MessageContractTest {
  private static final Set<String> PUBLISHED =
      Set.of(
          "stock.inventory.changed",
          "stock.reservation.confirmed",
          "stock.reservation.rejected",
          "stock.reservation.released",
          "stock.reservation.expired",
          "stock.shipment.applied",
          "stock.request.rejected",
          "stock.location.changed",
          "stock.item.changed");

  @Test
  void everyMessageStockPublishesValidatesAgainstItsSchema() throws Exception {
    String location;
    String sku;
    List<Broker.Received> published;
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.stock", "stock.#")) {
      location = Api.location(); // stock.location.changed
      sku = Api.item(); // stock.item.changed
      Api.stock(sku, location, "available", 10);
      String released = reserve(sku, location, 2, null);
      json().post("/api/v1/reservations/{id}/release", released).then().statusCode(200);
      String lost = reserve(sku, location, 1, null);
      fulfillment(
          broker,
          "fulfillment.reservation.release-requested",
          Map.of("reservationId", lost, "cause", "short_pick", "disposition", "lost"));
      reserve(sku, location, 1, 1L); // expires
      String shipped = reserve(sku, location, 3, null);
      fulfillment(
          broker,
          "fulfillment.shipment.recorded",
          Map.of(
              "shipmentId",
              "s-1",
              "reservationId",
              shipped,
              "lines",
              List.of(line(sku, location, 1))));
      fulfillment(
          broker,
          "fulfillment.shipment.recorded",
          Map.of(
              "shipmentId",
              "s-2",
              "reservationId",
              shipped,
              "lines",
              List.of(line(sku, location, 99))));
      fulfillment(
          broker,
          "fulfillment.reservation.requested",
          Map.of("reference", "order:c1", "lines", List.of(line(sku, location, 1))));
      fulfillment(
          broker,
          "fulfillment.reservation.requested",
          Map.of("reference", "order:c2", "lines", List.of(line(sku, location, 500))));
      fulfillment(
          broker,
          "fulfillment.reservation.requested",
          Map.of("reference", "order:c3", "lines", List.of(line("NO-SUCH-SKU", location, 1))));
      fulfillment(
          broker,
          "fulfillment.reservation.requested",
          Map.of(
              "reference",
              "order:c4",
              "lines",
              List.of(line(sku, location, 1), line(sku, location, 1))));
      tap.await(r -> r.type().equals("stock.reservation.expired"), Duration.ofSeconds(15));
      published = tap.drain(Duration.ofSeconds(2));
    }

    Set<String> seen = new TreeSet<>();
    List<String> violations = new ArrayList<>();
    for (Broker.Received message : published) {
      seen.add(message.type());
      List<String> problems = MessageSchemas.violations(message.envelope());
      if (!problems.isEmpty()) {
        violations.add(message.type() + " " + problems + " in " + message.raw());
      }
    }
    assertThat(violations).isEmpty();
    // the expired event was taken by await; the rest must cover every other type
    seen.add("stock.reservation.expired");
    assertThat(seen).containsAll(PUBLISHED);

    // the reference data events show the location and the item as Api created them
    JsonNode locationChanged = only(published, "stock.location.changed", location).data();
    assertThat(locationChanged.path("code").asText()).isEqualTo(location);
    assertThat(locationChanged.path("name").asText()).isEqualTo("Warehouse " + location);
    assertThat(locationChanged.path("type").asText()).isEqualTo("WAREHOUSE");
    assertThat(locationChanged.path("authoritative").asBoolean()).isFalse();
    assertThat(locationChanged.path("updatedAt").asText()).isNotEmpty();
    JsonNode itemChanged = only(published, "stock.item.changed", sku).data();
    assertThat(itemChanged.path("sku").asText()).isEqualTo(sku);
    assertThat(itemChanged.path("name").asText()).isEqualTo("Item " + sku);
    assertThat(itemChanged.path("unitCost").decimalValue()).isEqualByComparingTo("10");
    assertThat(only(published, "stock.item.changed", sku).raw())
        .as("decimals in plain notation")
        .contains("\"unitCost\":10");
    assertThat(itemChanged.path("lowStockThreshold").asLong()).isEqualTo(2);
    assertThat(itemChanged.path("updatedAt").asText()).isNotEmpty();
  }

  /** The one message of a type about a subject. */
  private static Broker.Received only(
      List<Broker.Received> published, String type, String subject) {
    List<Broker.Received> matching =
        published.stream()
            .filter(r -> r.type().equals(type))
            .filter(r -> subject.equals(r.envelope().path("subject").asText()))
            .toList();
    assertThat(matching).as(type + " of " + subject).hasSize(1);
    return matching.get(0);
  }

  @Test
  void stocksConsumersAcceptEveryExampleOfTheContract() throws Exception {
    // the examples name EX-SKU-1 at EX-WH-1; give them stock and a reservation to act on
    json()
        .body(Map.of("name", "Example warehouse", "type", "WAREHOUSE"))
        .put("/api/v1/locations/EX-WH-1");
    json().body(Map.of("name", "Example item")).put("/api/v1/items/EX-SKU-1");
    Api.stock("EX-SKU-1", "EX-WH-1", "available", 10);

    List<String> types =
        List.of(
            "fulfillment.reservation.requested",
            "fulfillment.reservation.release-requested",
            "fulfillment.shipment.recorded",
            "fulfillment.movement.requested",
            "receiving.movement.requested",
            "returns.movement.requested");
    try (Broker broker = new Broker()) {
      for (String type : types) {
        ObjectNode example = MessageSchemas.example(type);
        assertThat(MessageSchemas.violations(example)).as("the example of " + type).isEmpty();
        String id = UUID.randomUUID().toString();
        example.put("id", id);
        if (example.path("data").has("reservationId")) {
          ((ObjectNode) example.get("data"))
              .put("reservationId", reserve("EX-SKU-1", "EX-WH-1", 2, null));
        }
        String exchange = "onhand." + type.substring(0, type.indexOf('.'));
        broker.publish(exchange, type, example.toString(), Map.of());

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (Db.scalar("SELECT count(*) FROM inbox WHERE message_id = ?", id) == 0
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(Db.scalar("SELECT count(*) FROM inbox WHERE message_id = ?", id))
            .as("%s was processed", type)
            .isEqualTo(1);
        assertThat(Db.scalar("SELECT count(*) FROM inbox_failure WHERE message_id = ?", id))
            .as("%s was never refused as unreadable", type)
            .isZero();
      }
    }
    Db.assertLedgerMatchesBalances("EX-SKU-1");
  }

  private static String reserve(String sku, String location, long quantity, Long expiresIn) {
    return json()
        .body(Api.reservation(Api.unique("order"), sku, location, quantity, expiresIn))
        .post("/api/v1/reservations")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static Map<String, Object> line(String sku, String location, long quantity) {
    return Map.of("sku", sku, "location", location, "quantity", quantity);
  }

  private static void fulfillment(Broker broker, String type, Map<String, Object> data)
      throws Exception {
    var envelope =
        Messages.withCorrelation(
            Messages.envelope(type, "onhand/fulfillment", data), UUID.randomUUID().toString());
    broker.publish("onhand.fulfillment", type, Broker.json(envelope), Map.of());
  }
}
