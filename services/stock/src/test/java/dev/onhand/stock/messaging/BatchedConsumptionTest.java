package dev.onhand.stock.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Messages;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A busy queue's messages are applied several to a transaction ({@code Inbox.consumeInBatches}),
 * with the effect of applying them one after another: each once, a redelivery within the batch
 * included, and one failing message costs the others nothing.
 */
@QuarkusTest
class BatchedConsumptionTest {
  private static final int MESSAGES = 30;

  @Test
  void messagesDeliveredTogetherShareTransactionsAndApplyOnceEach() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    List<String> ids = new ArrayList<>();
    try (Broker broker = new Broker()) {
      for (int i = 0; i < MESSAGES; i++) {
        var envelope = found(sku, location);
        String id = (String) envelope.get("id");
        PoisonConsumer.cure(id);
        ids.add(id);
        broker.publish("onhand.stock-tests", "test.poison", Broker.json(envelope), Map.of());
        if (i == MESSAGES / 2) {
          // the same message again while the first delivery may still wait in the batch
          broker.publish("onhand.stock-tests", "test.poison", Broker.json(envelope), Map.of());
        }
      }
      awaitProcessed(ids);
    }

    assertThat(Db.balance(sku, location).get("available"))
        .as("5 units per message, the message delivered twice counted once")
        .isEqualTo(5L * MESSAGES);
    assertThat(Db.ledgerEntries(sku)).isEqualTo(MESSAGES);
    Db.assertLedgerMatchesBalances(sku);
    long transactions =
        Db.scalar(
            "SELECT count(DISTINCT xmin::text) FROM inbox WHERE consumer = ? AND message_id ="
                + " ANY(string_to_array(?, ','))",
            PoisonConsumer.CONSUMER,
            String.join(",", ids));
    assertThat(transactions)
        .as("messages waiting while a transaction ran were applied together in the next")
        .isLessThan(MESSAGES);
  }

  @Test
  void aPoisonMessageAmongOthersIsDeadLetteredAloneAndTheOthersApplyOnce() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    String poisonSku = Api.item();
    List<String> ids = new ArrayList<>();
    String poisonId;
    try (Broker broker = new Broker()) {
      var poison = found(poisonSku, location);
      poisonId = (String) poison.get("id");
      for (int i = 0; i < MESSAGES; i++) {
        if (i == 3) {
          broker.publish("onhand.stock-tests", "test.poison", Broker.json(poison), Map.of());
        }
        var envelope = found(sku, location);
        String id = (String) envelope.get("id");
        PoisonConsumer.cure(id);
        ids.add(id);
        broker.publish("onhand.stock-tests", "test.poison", Broker.json(envelope), Map.of());
      }
      awaitProcessed(ids);

      List<Broker.Received> dead =
          DeadLetterEvidence.awaitDeadLettered(broker, "stock.test-poison.dlq", poisonId);
      assertThat(dead).as("the poison message reached the dead-letter queue").hasSize(1);
    }

    assertThat(Db.balance(sku, location).get("available")).isEqualTo(5L * MESSAGES);
    assertThat(Db.ledgerEntries(sku)).isEqualTo(MESSAGES);
    Db.assertLedgerMatchesBalances(sku);
    assertThat(Db.ledgerEntries(poisonSku)).as("nothing of the poison message kept").isZero();
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM inbox WHERE consumer = ? AND message_id = ?",
                PoisonConsumer.CONSUMER,
                poisonId))
        .isZero();
  }

  private static Map<String, Object> found(String sku, String location) {
    return Messages.envelope("test.poison", "tests", Map.of("sku", sku, "location", location));
  }

  private static void awaitProcessed(List<String> ids) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    long processed = 0;
    while (System.nanoTime() < deadline) {
      processed =
          Db.scalar(
              "SELECT count(*) FROM inbox WHERE consumer = ? AND message_id ="
                  + " ANY(string_to_array(?, ','))",
              PoisonConsumer.CONSUMER,
              String.join(",", ids));
      if (processed == ids.size()) {
        return;
      }
      Thread.sleep(50);
    }
    assertThat(processed).as("every message processed").isEqualTo(ids.size());
  }
}
