package dev.onhand.stock.messaging;

import dev.onhand.platform.inbox.Inbox;
import dev.onhand.platform.inbox.MessageReader;
import dev.onhand.platform.inbox.PermanentMessageFailure;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.messaging.TraceHeaders;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.reservation.Demand;
import dev.onhand.stock.reservation.Disposition;
import dev.onhand.stock.reservation.ReleaseRequest;
import dev.onhand.stock.reservation.ReservationEngine;
import dev.onhand.stock.reservation.ReservationService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Fulfillment's requests to stock: reserve, release (cancellations, and short picks whose units are
 * lost), commit shipped units, and movements (e.g. a mispick), applied like receiving's and
 * returns' movements. Each is applied once through the inbox; a refused request is answered by a
 * message, never retried.
 */
@ApplicationScoped
public class FulfillmentRequestsConsumer {
  public static final String CONSUMER = "stock.fulfillment-requests";

  private final Inbox inbox;
  private final MessageReader reader;
  private final ReservationEngine engine;
  private final ReservationService reservations;
  private final Rejections rejections;
  private final InboundMovementsConsumer movements;

  public FulfillmentRequestsConsumer(
      Inbox inbox,
      MessageReader reader,
      ReservationEngine engine,
      ReservationService reservations,
      Rejections rejections,
      InboundMovementsConsumer movements) {
    this.inbox = inbox;
    this.reader = reader;
    this.engine = engine;
    this.reservations = reservations;
    this.rejections = rejections;
    this.movements = movements;
  }

  @Incoming("fulfillment-requests")
  public Uni<Void> consume(Message<?> message) {
    return inbox.consumeInBatches(CONSUMER, message, this::handleAll);
  }

  /**
   * A batch in delivery order, where each run of reservation requests is decided by the engine in
   * one go (in order, as the reservation API's group commit does: one round of row locks and ledger
   * writes for the run); every other request alone, between the runs.
   */
  Uni<Void> handleAll(UnitOfWork unit, List<Envelope> envelopes) {
    Uni<Void> applied = Uni.createFrom().voidItem();
    List<Demand> run = new ArrayList<>();
    for (Envelope envelope : envelopes) {
      Demand demand = reservable(envelope);
      if (demand != null) {
        run.add(demand);
        continue;
      }
      applied = reserveAll(applied, unit, run);
      run = new ArrayList<>();
      applied = applied.chain(() -> handle(unit, envelope));
    }
    return reserveAll(applied, unit, run);
  }

  private Uni<Void> reserveAll(Uni<Void> after, UnitOfWork unit, List<Demand> run) {
    // the engine publishes each demand's confirmation or rejection itself
    return run.isEmpty() ? after : after.chain(() -> engine.reserve(unit, run).replaceWithVoid());
  }

  /** The demand of a well-formed reservation request, else null (it takes the one-by-one path). */
  private Demand reservable(Envelope envelope) {
    if (!ConsumedMessages.RESERVATION_REQUESTED.equals(envelope.type())) {
      return null;
    }
    Demand demand = demand(envelope);
    try {
      Demand.requireDistinctLines(demand.lines());
    } catch (ProblemException refused) {
      return null;
    }
    return demand;
  }

  Uni<Void> handle(UnitOfWork unit, Envelope envelope) {
    return switch (envelope.type()) {
      case ConsumedMessages.RESERVATION_REQUESTED -> reserve(unit, envelope);
      case ConsumedMessages.RELEASE_REQUESTED -> release(unit, envelope);
      case ConsumedMessages.SHIPMENT_RECORDED -> ship(unit, envelope);
      case ConsumedMessages.FULFILLMENT_MOVEMENT -> movements.apply(CONSUMER, unit, envelope);
      default -> throw new PermanentMessageFailure("unexpected message type " + envelope.type());
    };
  }

  private Demand demand(Envelope envelope) {
    ReservationRequested request = reader.read(envelope, ReservationRequested.class);
    List<Demand.Line> lines =
        request.lines().stream()
            .map(l -> new Demand.Line(l.sku(), l.location(), l.quantity()))
            .toList();
    return new Demand(
        request.reference(),
        lines,
        request.expiresInSeconds() == null
            ? null
            : OffsetDateTime.now().plusSeconds(request.expiresInSeconds()),
        envelope.source(),
        null,
        envelope.correlationId() == null ? envelope.id() : envelope.correlationId(),
        TraceHeaders.current());
  }

  private Uni<Void> reserve(UnitOfWork unit, Envelope envelope) {
    Demand demand = demand(envelope);
    try {
      Demand.requireDistinctLines(demand.lines());
    } catch (ProblemException refused) {
      engine.refuse(unit, demand, refused);
      return Uni.createFrom().voidItem();
    }
    // the engine publishes the confirmation or the rejection itself
    return engine.reserve(unit, List.of(demand)).replaceWithVoid();
  }

  private Uni<Void> release(UnitOfWork unit, Envelope envelope) {
    ReleaseRequested request = reader.read(envelope, ReleaseRequested.class);
    List<ReleaseRequest.Line> lines =
        request.lines() == null
            ? null
            : request.lines().stream()
                .map(l -> new ReleaseRequest.Line(l.sku(), l.location(), l.quantity()))
                .toList();
    return reservations
        .release(
            unit,
            request.reservationId(),
            lines,
            request.disposition() == null ? Disposition.AVAILABLE : request.disposition(),
            envelope.source(),
            null,
            request.cause() == null ? "cancelled" : request.cause())
        .onFailure(ProblemException.class)
        .transform(
            p -> rejections.of(envelope, request.reservationId().toString(), (ProblemException) p))
        .replaceWithVoid();
  }

  private Uni<Void> ship(UnitOfWork unit, Envelope envelope) {
    ShipmentRecorded shipment = reader.read(envelope, ShipmentRecorded.class);
    List<ReleaseRequest.Line> lines =
        shipment.lines().stream()
            .map(l -> new ReleaseRequest.Line(l.sku(), l.location(), l.quantity()))
            .toList();
    // a shipment resent under a new message id is still the same shipment
    String key = "shipment:" + shipment.reservationId() + ":" + shipment.shipmentId();
    return inbox
        .firstTime(unit, CONSUMER, key)
        .chain(
            first -> first ? ship(unit, envelope, shipment, lines) : Uni.createFrom().voidItem());
  }

  private Uni<Void> ship(
      UnitOfWork unit,
      Envelope envelope,
      ShipmentRecorded shipment,
      List<ReleaseRequest.Line> lines) {
    return reservations
        .ship(unit, shipment.reservationId(), lines, shipment.reference(), envelope.source())
        .onFailure(ProblemException.class)
        .transform(
            p -> rejections.of(envelope, shipment.reservationId().toString(), (ProblemException) p))
        .replaceWithVoid();
  }
}
