package dev.onhand.stock.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Messages;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Receipts and returns requested by other services, applied once and atomically. */
@QuarkusTest
class InboundMovementsTest {

  @Test
  void aPurchaseOrderThenAReceiptWithDamageLandInTheRightBuckets() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    try (Broker broker = new Broker();
        Broker.Tap changes = broker.tap("onhand.stock", "stock.inventory.changed")) {
      var po =
          movement(
              "receiving.movement.requested",
              "purchase_order",
              "po:PO-7",
              List.of(line(sku, location, "incoming", 10)));
      var receipt =
          movement(
              "receiving.movement.requested",
              "received",
              "receipt:R-1",
              List.of(
                  line(sku, location, "incoming", -10),
                  line(sku, location, "available", 8),
                  Map.of(
                      "sku",
                      sku,
                      "location",
                      location,
                      "state",
                      "damaged",
                      "delta",
                      2,
                      "reason",
                      "damaged")));
      broker.publish("onhand.receiving", "receiving.movement.requested", Broker.json(po), Map.of());
      broker.publish(
          "onhand.receiving", "receiving.movement.requested", Broker.json(receipt), Map.of());
      broker.publish(
          "onhand.receiving", "receiving.movement.requested", Broker.json(receipt), Map.of());

      String subject = sku + "@" + location;
      changes.await(
          r ->
              subject.equals(r.envelope().path("subject").asText())
                  && r.envelope().path("sequence").asLong() == 1,
          Duration.ofSeconds(10));
      var afterReceipt =
          changes.await(
              r ->
                  subject.equals(r.envelope().path("subject").asText())
                      && r.envelope().path("sequence").asLong() == 4,
              Duration.ofSeconds(10));
      assertThat(afterReceipt.data().path("movements")).hasSize(3);
      assertThat(changes.drain(Duration.ofSeconds(1)))
          .filteredOn(r -> subject.equals(r.envelope().path("subject").asText()))
          .as("the duplicate receipt changed nothing")
          .isEmpty();
    }
    assertThat(Api.quantity(sku, location, "incoming")).isZero();
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(8);
    assertThat(Api.quantity(sku, location, "damaged")).isEqualTo(2);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM ledger WHERE sku = ? AND reference = 'receipt:R-1'", sku))
        .isEqualTo(3);
    assertThat(Db.scalar("SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'damaged'", sku))
        .isEqualTo(1);
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void aMovementResentUnderANewMessageIdWithItsMovementIdIsAppliedOnce() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    String movementId = java.util.UUID.randomUUID().toString();
    Map<String, Object> data =
        Map.of(
            "movementId",
            movementId,
            "reason",
            "returned_restock",
            "reference",
            "rma:12",
            "lines",
            List.of(line(sku, location, "available", 1)));
    List<String> ids = new java.util.ArrayList<>();
    try (Broker broker = new Broker()) {
      for (int i = 0; i < 2; i++) {
        var envelope = Messages.envelope("returns.movement.requested", "onhand/returns", data);
        ids.add((String) envelope.get("id"));
        broker.publish(
            "onhand.returns", "returns.movement.requested", Broker.json(envelope), Map.of());
      }
    }
    // wait until both copies were consumed: the second one found its movement id already applied
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (Db.scalar(
                "SELECT count(*) FROM inbox WHERE message_id IN (?, ?)", ids.get(0), ids.get(1))
            < 2
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM inbox WHERE message_id IN (?, ?)", ids.get(0), ids.get(1)))
        .isEqualTo(2);
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(1);
    assertThat(Db.ledgerEntries(sku)).isEqualTo(1);
  }

  @Test
  void aMovementThatWouldGoNegativeIsRefusedWholeWithAReply() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 1);
    try (Broker broker = new Broker();
        Broker.Tap replies = broker.tap("onhand.stock", "stock.request.rejected")) {
      var returned =
          movement(
              "returns.movement.requested",
              "returned_restock",
              "rma:9",
              List.of(line(sku, location, "available", 1), line(sku, location, "damaged", -1)));
      broker.publish(
          "onhand.returns", "returns.movement.requested", Broker.json(returned), Map.of());

      var reply =
          replies.await(
              r -> returned.get("id").equals(r.data().path("requestId").asText()),
              Duration.ofSeconds(10));
      assertThat(reply.data().path("code").asText()).isEqualTo("NEGATIVE_BALANCE");
      assertThat(reply.envelope().path("correlationid").asText()).isEqualTo(returned.get("id"));
    }
    assertThat(Api.quantity(sku, location, "available"))
        .as("the valid line was not applied alone")
        .isEqualTo(1);
    assertThat(Db.ledgerEntries(sku)).isEqualTo(1);
  }

  private static Map<String, Object> movement(
      String type, String reason, String reference, List<Map<String, Object>> lines) {
    return Messages.envelope(
        type,
        type.startsWith("receiving") ? "onhand/receiving" : "onhand/returns",
        Map.of("reason", reason, "reference", reference, "lines", lines));
  }

  private static Map<String, Object> line(String sku, String location, String state, long delta) {
    return Map.of("sku", sku, "location", location, "state", state, "delta", delta);
  }
}
