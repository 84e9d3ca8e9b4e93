package dev.onhand.stock.messaging;

import dev.onhand.platform.inbox.Inbox;
import dev.onhand.platform.inbox.MessageBatchHandler;
import dev.onhand.stock.ledger.BalanceKey;
import dev.onhand.stock.ledger.Bucket;
import dev.onhand.stock.ledger.Movement;
import dev.onhand.stock.ledger.Posting;
import dev.onhand.stock.ledger.Postings;
import dev.onhand.stock.ledger.Reason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * A consumer that writes stock and then fails, every time: the shape of a poison message. Its
 * effect must never be committed, and the message must end in the dead-letter queue. Once a test
 * {@link #cure}s a message id (its bug fixed), that message is applied: 5 units found. Consumed in
 * batches, so a poison message shares its first transaction with whatever was delivered with it.
 */
@ApplicationScoped
public class PoisonConsumer {
  public static final String CONSUMER = "stock.test-poison";
  private static final Set<String> CURED = ConcurrentHashMap.newKeySet();
  private final Inbox inbox;
  private final Postings postings;

  public PoisonConsumer(Inbox inbox, Postings postings) {
    this.inbox = inbox;
    this.postings = postings;
  }

  /** From now on the message with this id is applied instead of failing. */
  public static void cure(String messageId) {
    CURED.add(messageId);
  }

  @Incoming("test-poison")
  public Uni<Void> consume(Message<?> message) {
    return inbox.consumeInBatches(
        CONSUMER,
        message,
        MessageBatchHandler.inOrder(
            (unit, envelope) -> {
              var key =
                  new BalanceKey(
                      envelope.data().path("sku").asText(),
                      envelope.data().path("location").asText());
              var movement =
                  new Movement(
                      UUID.randomUUID(),
                      Reason.FOUND,
                      "test:poison",
                      "test",
                      null,
                      OffsetDateTime.now());
              return postings
                  .post(
                      unit, List.of(Posting.delta("lines[0]", key, Bucket.AVAILABLE, 5)), movement)
                  .invoke(
                      ignored -> {
                        if (!CURED.contains(envelope.id())) {
                          throw new IllegalStateException("poison: fails after writing");
                        }
                      })
                  .replaceWithVoid();
            }));
  }
}
