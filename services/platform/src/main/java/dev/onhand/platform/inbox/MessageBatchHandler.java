package dev.onhand.platform.inbox;

import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Applies a batch of messages' effects inside one inbox transaction ({@link
 * Inbox#consumeInBatches}). The messages are in delivery order; a handler may apply them in another
 * order (e.g. by key, so that its row locks are taken in one order) only where their effects do not
 * depend on each other's order. Failing fails the whole batch, whose messages are then applied one
 * by one.
 */
@FunctionalInterface
public interface MessageBatchHandler {
  Uni<Void> handleAll(UnitOfWork unit, List<Envelope> envelopes);

  /** One message after another, in delivery order. */
  static MessageBatchHandler inOrder(MessageHandler handler) {
    return (unit, envelopes) -> {
      Uni<Void> applied = Uni.createFrom().voidItem();
      for (Envelope envelope : envelopes) {
        applied = applied.chain(() -> handler.handle(unit, envelope));
      }
      return applied;
    };
  }
}
