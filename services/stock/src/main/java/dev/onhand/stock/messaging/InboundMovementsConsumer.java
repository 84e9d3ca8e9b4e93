package dev.onhand.stock.messaging;

import dev.onhand.platform.inbox.Inbox;
import dev.onhand.platform.inbox.MessageReader;
import dev.onhand.platform.inbox.PermanentMessageFailure;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.ledger.BalanceKey;
import dev.onhand.stock.ledger.Movement;
import dev.onhand.stock.ledger.Posting;
import dev.onhand.stock.ledger.Postings;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Movements other services cause: purchase orders and receipts (receiving), returns (returns), and
 * pick exceptions such as a mispick (fulfillment, which arrive on fulfillment's queue and are
 * handed to {@link #apply} by {@link FulfillmentRequestsConsumer}). Applied once, atomically;
 * refused whole (e.g. a bucket would go negative) with a {@code stock.request.rejected} reply.
 */
@ApplicationScoped
public class InboundMovementsConsumer {
  public static final String RECEIVING = "stock.receiving-movements";
  public static final String RETURNS = "stock.returns-movements";

  private final Inbox inbox;
  private final MessageReader reader;
  private final Postings postings;
  private final Rejections rejections;

  public InboundMovementsConsumer(
      Inbox inbox, MessageReader reader, Postings postings, Rejections rejections) {
    this.inbox = inbox;
    this.reader = reader;
    this.postings = postings;
    this.rejections = rejections;
  }

  @Incoming("receiving-movements")
  public Uni<Void> fromReceiving(Message<?> message) {
    return inbox.consume(RECEIVING, message, (unit, envelope) -> apply(RECEIVING, unit, envelope));
  }

  @Incoming("returns-movements")
  public Uni<Void> fromReturns(Message<?> message) {
    return inbox.consume(RETURNS, message, (unit, envelope) -> apply(RETURNS, unit, envelope));
  }

  /**
   * Applies one movement request; {@code consumer} is the inbox consumer it arrived through, which
   * also scopes the deduplication by movement id.
   */
  Uni<Void> apply(String consumer, UnitOfWork unit, Envelope envelope) {
    if (!envelope.type().equals(ConsumedMessages.RECEIVING_MOVEMENT)
        && !envelope.type().equals(ConsumedMessages.RETURNS_MOVEMENT)
        && !envelope.type().equals(ConsumedMessages.FULFILLMENT_MOVEMENT)) {
      throw new PermanentMessageFailure("unexpected message type " + envelope.type());
    }
    MovementRequested request = reader.read(envelope, MovementRequested.class);
    if (!request.reason().postableDirectly()) {
      throw new PermanentMessageFailure("reason " + request.reason() + " cannot be requested");
    }
    List<Posting> list = new ArrayList<>();
    for (int i = 0; i < request.lines().size(); i++) {
      MovementRequested.Line line = request.lines().get(i);
      if (!line.state().adjustable()
          || (line.reason() != null && !line.reason().postableDirectly())) {
        throw new PermanentMessageFailure("line " + i + " changes what only reservations change");
      }
      list.add(
          new Posting(
              "lines[" + i + "]",
              new BalanceKey(line.sku(), line.location()),
              line.state(),
              line.delta(),
              null,
              null,
              line.reason()));
    }
    UUID movementId =
        request.movementId() != null
            ? request.movementId()
            : UUID.nameUUIDFromBytes(envelope.id().getBytes(StandardCharsets.UTF_8));
    Movement movement =
        new Movement(
            movementId,
            request.reason(),
            request.reference(),
            envelope.source(),
            null,
            request.occurredAt() == null ? OffsetDateTime.now() : request.occurredAt());
    String subject = request.reference() == null ? movementId.toString() : request.reference();
    if (request.movementId() == null) {
      return post(unit, envelope, list, movement, subject);
    }
    // a movement resent under a new message id is still the same movement
    return inbox
        .firstTime(unit, consumer, "movement:" + movementId)
        .chain(
            first ->
                first
                    ? post(unit, envelope, list, movement, subject)
                    : Uni.createFrom().voidItem());
  }

  private Uni<Void> post(
      UnitOfWork unit, Envelope envelope, List<Posting> list, Movement movement, String subject) {
    return postings
        .post(unit, list, movement)
        .onFailure(ProblemException.class)
        .transform(p -> rejections.of(envelope, subject, (ProblemException) p))
        .replaceWithVoid();
  }
}
