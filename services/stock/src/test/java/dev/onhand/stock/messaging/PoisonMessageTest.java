package dev.onhand.stock.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Messages;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A message whose handling keeps failing is retried a bounded number of times, then dead-lettered,
 * counted in the metrics and recorded in the exception register.
 */
@QuarkusTest
class PoisonMessageTest {

  @Test
  void aFailingMessageIsRetriedThenDeadLetteredAndNothingHalfAppliedRemains() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    var envelope =
        Messages.envelope("test.poison", "tests", Map.of("sku", sku, "location", location));
    String id = (String) envelope.get("id");
    double deadLetteredBefore = DeadLetterEvidence.deadLetteredCount(PoisonConsumer.CONSUMER);

    try (Broker broker = new Broker()) {
      broker.publish("onhand.stock-tests", "test.poison", Broker.json(envelope), Map.of());

      List<Broker.Received> dead =
          DeadLetterEvidence.awaitDeadLettered(broker, "stock.test-poison.dlq", id);
      assertThat(dead).as("the message reached the dead-letter queue").hasSize(1);
    }

    assertThat(
            Db.scalar(
                "SELECT attempts FROM inbox_failure WHERE consumer = ? AND message_id = ? AND"
                    + " dead_lettered",
                PoisonConsumer.CONSUMER,
                id))
        .as("retried exactly max-attempts times")
        .isEqualTo(5);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM inbox WHERE consumer = ? AND message_id = ?",
                PoisonConsumer.CONSUMER,
                id))
        .as("never recorded as processed")
        .isZero();
    assertThat(Db.ledgerEntries(sku)).as("no ledger entry of the failed attempts").isZero();
    assertThat(Db.scalar("SELECT count(*) FROM balance WHERE sku = ?", sku))
        .as("no balance row of the failed attempts")
        .isZero();

    assertThat(DeadLetterEvidence.deadLetteredCount(PoisonConsumer.CONSUMER))
        .as("onhand_messages_dead_lettered_total of the consumer")
        .isEqualTo(deadLetteredBefore + 1);
    var entries = DeadLetterEvidence.registerEntries(id);
    assertThat(entries).as("one MESSAGE_DEAD_LETTERED exception in the register").hasSize(1);
    assertThat(entries.get(0))
        .containsEntry("kind", "MESSAGE_DEAD_LETTERED")
        .containsEntry("severity", "HIGH")
        .containsEntry("source", "onhand/stock")
        .containsEntry("status", "OPEN")
        .containsEntry("references", List.of("queue:" + PoisonConsumer.CONSUMER));
    assertThat((String) entries.get(0).get("detail"))
        .startsWith("stock.test-poison could not apply test.poison: ")
        .contains("poison: fails after writing");
  }
}
