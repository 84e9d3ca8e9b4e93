package dev.onhand.stock.exceptions;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.platform.testing.Broker;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every service's exceptions land in the register once, and resolving one moves stock as chosen.
 */
@QuarkusTest
class ExceptionRegisterTest {

  @Test
  void exceptionsFromEachProducerAppearOnceEvenWhenDeliveredTwice() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    String reference = "test:" + UUID.randomUUID();
    List<String> envelopes = new java.util.ArrayList<>();
    try (Broker broker = new Broker()) {
      for (String service : List.of("receiving", "fulfillment", "returns")) {
        ObjectNode message = MessageSchemas.example(service + ".exception.raised");
        message.put("id", UUID.randomUUID().toString()).put("subject", reference);
        ((ObjectNode) message.path("data"))
            .put("exceptionId", UUID.randomUUID().toString())
            .put("reference", reference)
            .put("sku", sku)
            .put("location", location);
        assertThat(MessageSchemas.violations(message)).isEmpty();
        String exchange = "onhand." + service;
        String key = service + ".exception.raised";
        broker.publish(exchange, key, message.toString(), Map.of());
        envelopes.add(message.path("id").asText());
        message.put("id", UUID.randomUUID().toString());
        broker.publish(exchange, key, message.toString(), Map.of());
        envelopes.add(message.path("id").asText());
      }
    }
    // every envelope (both ids of each exception) has been through the inbox: nothing is pending
    String ids = String.join(",", envelopes);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Db.scalar(
                        "SELECT count(*) FROM inbox WHERE message_id = ANY(string_to_array(?, ','))",
                        ids)
                    == envelopes.size());
    assertThat(Db.scalar("SELECT count(*) FROM exception_entry WHERE reference = ?", reference))
        .as("one entry per exception, whatever the deliveries")
        .isEqualTo(3);
    assertThat(
            Db.scalar(
                "SELECT count(DISTINCT source) FROM exception_entry WHERE reference = ?",
                reference))
        .isEqualTo(3);
  }

  @Test
  void resolvingWritesOffAdjustsOrDismissesAndRecordsWhoDidIt() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 10);
    String writeOff = raise(sku, location, "SHORT_RECEIPT");
    String adjust = raise(sku, location, "OVER_RETURN");
    String dismiss = raise(sku, location, "MISPICK");

    json()
        .header("X-Actor", "ops:ada")
        .body(Map.of("action", "WRITE_OFF", "quantity", 3, "note", "gone"))
        .post("/api/v1/exceptions/{id}/resolve", writeOff)
        .then()
        .statusCode(200)
        .body("status", equalTo("RESOLVED"))
        .body("resolution", equalTo("WRITE_OFF"))
        .body("resolvedBy", equalTo("ops:ada"));
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(7);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'write_off' AND reference = ?",
                sku,
                "exception:" + writeOff))
        .isEqualTo(1);

    json()
        .body(
            Map.of(
                "action",
                "ADJUST",
                "adjustment",
                Map.of(
                    "reason",
                    "found",
                    "lines",
                    List.of(
                        Map.of(
                            "sku", sku, "location", location, "state", "available", "delta", 2)))))
        .post("/api/v1/exceptions/{id}/resolve", adjust)
        .then()
        .statusCode(200)
        .body("resolution", equalTo("ADJUST"));
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(9);

    json()
        .body(Map.of("action", "DISMISS"))
        .post("/api/v1/exceptions/{id}/resolve", dismiss)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("note"));
    json()
        .body(Map.of("action", "DISMISS", "note", "counted again: all there"))
        .post("/api/v1/exceptions/{id}/resolve", dismiss)
        .then()
        .statusCode(200)
        .body("note", equalTo("counted again: all there"));
    json()
        .body(Map.of("action", "DISMISS", "note", "again"))
        .post("/api/v1/exceptions/{id}/resolve", dismiss)
        .then()
        .statusCode(409)
        .body("code", equalTo("EXCEPTION_RESOLVED"));
    // a write-off that would take a bucket below zero is refused and resolves nothing
    String tooMuch = raise(sku, location, "LOST");
    json()
        .body(Map.of("action", "WRITE_OFF", "quantity", 100))
        .post("/api/v1/exceptions/{id}/resolve", tooMuch)
        .then()
        .statusCode(422);
    json().get("/api/v1/exceptions/{id}", tooMuch).then().body("status", equalTo("OPEN"));
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(9);
    json()
        .queryParam("status", "OPEN")
        .queryParam("type", "LOST")
        .get("/api/v1/exceptions")
        .then()
        .statusCode(200)
        .body("items.id", org.hamcrest.Matchers.hasItem(tooMuch));
    Db.assertLedgerMatchesBalances(sku);
  }

  /** Raises an exception as a producing service does and waits until it is registered. */
  private static String raise(String sku, String location, String kind) throws Exception {
    String id = UUID.randomUUID().toString();
    ObjectNode message = MessageSchemas.example("receiving.exception.raised");
    message.put("id", UUID.randomUUID().toString());
    ((ObjectNode) message.path("data"))
        .put("exceptionId", id)
        .put("kind", kind)
        .put("sku", sku)
        .put("location", location);
    try (Broker broker = new Broker()) {
      broker.publish(
          "onhand.receiving", "receiving.exception.raised", message.toString(), Map.of());
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Db.scalar("SELECT count(*) FROM exception_entry WHERE id = ?::uuid", id) == 1);
    return id;
  }
}
