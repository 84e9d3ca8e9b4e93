package dev.onhand.stock.snapshot;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.platform.testing.Broker;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Stock mirrors an authoritative location from the snapshots channel-sync reports, registers drift
 * beyond its tolerance, and takes channel-sync's own drift exceptions into the register.
 */
@QuarkusTest
class SnapshotMirrorTest {
  private static final String EXCHANGE = "onhand.channel-sync";

  @Test
  void aSnapshotSetsAvailableAtTheAuthoritativeLocationOnceAndRaisesDrift() throws Exception {
    String fba = authoritativeLocation();
    String sku = Api.item();
    Api.stock(sku, fba, "available", 10);
    String reconciliation = UUID.randomUUID().toString();
    long entries;
    ObjectNode snapshot = snapshot(reconciliation, fba, sku, 6);
    assertThat(MessageSchemas.violations(snapshot)).isEmpty();

    try (Broker broker = new Broker()) {
      broker.publish(EXCHANGE, "channel-sync.snapshot.reported", snapshot.toString(), Map.of());
      awaitConsumed(snapshot.path("id").asText());
      assertThat(Api.quantity(sku, fba, "available")).isEqualTo(6);
      assertThat(
              Db.scalar(
                  "SELECT count(*) FROM ledger WHERE sku = ? AND location = ? AND reason ="
                      + " 'reconciliation' AND reference = ? AND delta = -4",
                  sku,
                  fba,
                  "reconciliation:" + reconciliation))
          .isEqualTo(1);
      assertThat(
              Db.scalar(
                  "SELECT count(*) FROM exception_entry WHERE kind = 'CHANNEL_DRIFT' AND sku = ?"
                      + " AND location = ? AND expected = 10 AND actual = 6 AND reference = ?",
                  sku,
                  fba,
                  "reconciliation:" + reconciliation))
          .isEqualTo(1);
      entries = Db.ledgerEntries(sku);

      // the same message again, and the same snapshot under a new message id: nothing changes
      broker.publish(EXCHANGE, "channel-sync.snapshot.reported", snapshot.toString(), Map.of());
      snapshot.put("id", UUID.randomUUID().toString());
      broker.publish(EXCHANGE, "channel-sync.snapshot.reported", snapshot.toString(), Map.of());
      awaitConsumed(snapshot.path("id").asText());
    }
    assertThat(Api.quantity(sku, fba, "available")).isEqualTo(6);
    assertThat(Db.ledgerEntries(sku)).isEqualTo(entries);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'reconciliation'", sku))
        .isEqualTo(1);
    assertThat(Db.scalar("SELECT count(*) FROM exception_entry WHERE sku = ?", sku)).isEqualTo(1);
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void aSnapshotObservedBeforeTheNewestAppliedNeverTakesTheBalanceBack() throws Exception {
    String fba = authoritativeLocation();
    String sku = Api.item();
    Api.stock(sku, fba, "available", 10);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    ObjectNode newer = snapshot(UUID.randomUUID().toString(), fba, sku, 7);
    ((ObjectNode) newer.path("data")).put("observedAt", now.toString());
    // an older round's snapshot, delivered after the newer one
    ObjectNode older = snapshot(UUID.randomUUID().toString(), fba, sku, 3);
    ((ObjectNode) older.path("data")).put("observedAt", now.minusMinutes(5).toString());
    assertThat(MessageSchemas.violations(older)).isEmpty();

    try (Broker broker = new Broker()) {
      broker.publish(EXCHANGE, "channel-sync.snapshot.reported", newer.toString(), Map.of());
      awaitConsumed(newer.path("id").asText());
      broker.publish(EXCHANGE, "channel-sync.snapshot.reported", older.toString(), Map.of());
      awaitConsumed(older.path("id").asText());
    }
    assertThat(Api.quantity(sku, fba, "available")).isEqualTo(7);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'reconciliation'", sku))
        .isEqualTo(1);

    // a later snapshot still applies
    ObjectNode latest = snapshot(UUID.randomUUID().toString(), fba, sku, 5);
    ((ObjectNode) latest.path("data")).put("observedAt", now.plusMinutes(1).toString());
    try (Broker broker = new Broker()) {
      broker.publish(EXCHANGE, "channel-sync.snapshot.reported", latest.toString(), Map.of());
      awaitConsumed(latest.path("id").asText());
    }
    assertThat(Api.quantity(sku, fba, "available")).isEqualTo(5);
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void aSnapshotOfALocationStockCountsItselfIsIgnored() throws Exception {
    String warehouse = Api.location();
    String sku = Api.item();
    Api.stock(sku, warehouse, "available", 5);
    ObjectNode snapshot = snapshot(UUID.randomUUID().toString(), warehouse, sku, 1);
    try (Broker broker = new Broker()) {
      broker.publish(EXCHANGE, "channel-sync.snapshot.reported", snapshot.toString(), Map.of());
    }
    awaitConsumed(snapshot.path("id").asText());
    assertThat(Api.quantity(sku, warehouse, "available")).isEqualTo(5);
    assertThat(Db.scalar("SELECT count(*) FROM exception_entry WHERE sku = ?", sku)).isZero();
  }

  @Test
  void channelSyncsDriftExceptionsLandInTheRegisterOnce() throws Exception {
    String sku = Api.item();
    String reference = "reconciliation:" + UUID.randomUUID();
    ObjectNode message = MessageSchemas.example("channel-sync.exception.raised");
    message.put("id", UUID.randomUUID().toString()).put("subject", reference);
    ((ObjectNode) message.path("data"))
        .put("exceptionId", UUID.randomUUID().toString())
        .put("reference", reference)
        .put("sku", sku);
    assertThat(MessageSchemas.violations(message)).isEmpty();
    try (Broker broker = new Broker()) {
      broker.publish(EXCHANGE, "channel-sync.exception.raised", message.toString(), Map.of());
      message.put("id", UUID.randomUUID().toString());
      broker.publish(EXCHANGE, "channel-sync.exception.raised", message.toString(), Map.of());
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Db.scalar(
                        "SELECT count(*) FROM inbox WHERE consumer = ? AND message_id = ?",
                        "stock.channel-sync-exceptions",
                        message.path("id").asText())
                    == 1);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM exception_entry WHERE reference = ? AND kind ="
                    + " 'CHANNEL_DRIFT' AND source = 'onhand/channel-sync'",
                reference))
        .isEqualTo(1);
  }

  private static String authoritativeLocation() {
    String code = Api.unique("FBA");
    json()
        .body(Map.of("name", "FBA " + code, "type", "MARKETPLACE", "authoritative", true))
        .put("/api/v1/locations/{code}", code)
        .then()
        .statusCode(201);
    return code;
  }

  private static ObjectNode snapshot(
      String reconciliation, String location, String sku, long quantity) {
    ObjectNode message = MessageSchemas.example("channel-sync.snapshot.reported");
    message.put("id", UUID.randomUUID().toString()).put("subject", sku + "@" + location);
    ((ObjectNode) message.path("data"))
        .put("reconciliationId", reconciliation)
        .put("location", location)
        .put("sku", sku)
        .put("quantity", quantity);
    return message;
  }

  private static void awaitConsumed(String messageId) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Db.scalar(
                        "SELECT count(*) FROM inbox WHERE consumer = ? AND message_id = ?",
                        SnapshotConsumer.CONSUMER,
                        messageId)
                    == 1);
  }
}
