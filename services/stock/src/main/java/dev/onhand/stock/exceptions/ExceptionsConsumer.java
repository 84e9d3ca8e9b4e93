package dev.onhand.stock.exceptions;

import dev.onhand.platform.inbox.Inbox;
import dev.onhand.platform.inbox.MessageReader;
import dev.onhand.platform.inbox.PermanentMessageFailure;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.messaging.OperationalException;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Every service's {@code <service>.exception.raised}, into the register: once per exception id,
 * whatever the number of deliveries or envelopes.
 */
@ApplicationScoped
public class ExceptionsConsumer {
  public static final String CONSUMER = "stock.exceptions";

  private final Inbox inbox;
  private final MessageReader reader;
  private final ExceptionRegister register;

  public ExceptionsConsumer(Inbox inbox, MessageReader reader, ExceptionRegister register) {
    this.inbox = inbox;
    this.reader = reader;
    this.register = register;
  }

  @Incoming("receiving-exceptions")
  public Uni<Void> fromReceiving(Message<?> message) {
    return inbox.consume("stock.receiving-exceptions", message, this::record);
  }

  @Incoming("fulfillment-exceptions")
  public Uni<Void> fromFulfillment(Message<?> message) {
    return inbox.consume("stock.fulfillment-exceptions", message, this::record);
  }

  @Incoming("returns-exceptions")
  public Uni<Void> fromReturns(Message<?> message) {
    return inbox.consume("stock.returns-exceptions", message, this::record);
  }

  @Incoming("channel-sync-exceptions")
  public Uni<Void> fromChannelSync(Message<?> message) {
    return inbox.consume("stock.channel-sync-exceptions", message, this::record);
  }

  Uni<Void> record(UnitOfWork unit, Envelope envelope) {
    if (!envelope.type().endsWith(".exception.raised")) {
      throw new PermanentMessageFailure("unexpected message type " + envelope.type());
    }
    OperationalException exception = reader.read(envelope, OperationalException.class);
    if (exception.exceptionId() == null
        || exception.kind() == null
        || exception.reference() == null
        || exception.occurredAt() == null) {
      throw new PermanentMessageFailure(
          envelope.type() + " lacks exceptionId, kind, reference or occurredAt");
    }
    return register.record(unit.sql(), envelope.source(), exception);
  }
}
