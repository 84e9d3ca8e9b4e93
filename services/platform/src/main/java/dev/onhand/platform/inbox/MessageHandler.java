package dev.onhand.platform.inbox;

import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;

/** Applies one message's effect inside the inbox's transaction. */
@FunctionalInterface
public interface MessageHandler {
  Uni<Void> handle(UnitOfWork unit, Envelope envelope);
}
