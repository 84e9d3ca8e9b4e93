package dev.onhand.fulfillment.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.messaging.OperationalException;
import dev.onhand.platform.tx.UnitOfWork;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * The messages fulfillment publishes to its exchange ({@code onhand.fulfillment}), through the
 * outbox of the caller's unit of work; the type is the routing key. Schemas: {@code
 * contracts/schemas/<type>.v1.json}.
 */
@ApplicationScoped
public class FulfillmentEvents {
  public static final String SOURCE = "onhand/fulfillment";
  public static final String RESERVATION_REQUESTED = "fulfillment.reservation.requested";
  public static final String RELEASE_REQUESTED = "fulfillment.reservation.release-requested";
  public static final String SHIPMENT_RECORDED = "fulfillment.shipment.recorded";
  public static final String MOVEMENT_REQUESTED = "fulfillment.movement.requested";
  public static final String EXCEPTION_RAISED = "fulfillment.exception.raised";

  private final ObjectMapper mapper;

  public FulfillmentEvents(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** A quantity of one SKU at one location (common.v1.json stockLine). */
  public record StockLine(String sku, String location, long quantity) {}

  record ReservationRequest(String reference, List<StockLine> lines) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ReleaseRequest(
      UUID reservationId, List<StockLine> lines, String cause, String disposition) {}

  /** One bucket change stock is asked to make (inventory-movement.v1.json). */
  public record MovementLine(String sku, String location, String state, long delta) {}

  record Movement(UUID movementId, String reason, String reference, List<MovementLine> lines) {}

  record Shipment(String shipmentId, UUID reservationId, String reference, List<StockLine> lines) {}

  /** Asks stock to reserve every line or none; the reply carries {@code allocationId}. */
  public void requestReservation(
      UnitOfWork unit, UUID allocationId, String reference, List<StockLine> lines) {
    publish(
        unit,
        RESERVATION_REQUESTED,
        reference,
        allocationId.toString(),
        new ReservationRequest(reference, lines));
  }

  /** Gives reserved units back to available; {@code lines} null releases all still open. */
  public void requestRelease(
      UnitOfWork unit, String reference, UUID reservationId, List<StockLine> lines, String cause) {
    publish(
        unit,
        RELEASE_REQUESTED,
        reference,
        UUID.randomUUID().toString(),
        new ReleaseRequest(reservationId, lines, cause, null));
  }

  /** Reserved units that are not there: they leave stock's committed units as lost. */
  public void requestLoss(
      UnitOfWork unit, String reference, UUID reservationId, List<StockLine> lines, String cause) {
    publish(
        unit,
        RELEASE_REQUESTED,
        reference,
        UUID.randomUUID().toString(),
        new ReleaseRequest(reservationId, lines, cause, "lost"));
  }

  /** A correction stock applies whole or refuses whole; {@code movementId} deduplicates it. */
  public void requestMovement(
      UnitOfWork unit, UUID movementId, String reason, String reference, List<MovementLine> lines) {
    publish(
        unit,
        MOVEMENT_REQUESTED,
        reference,
        movementId.toString(),
        new Movement(movementId, reason, reference, lines));
  }

  public void raise(UnitOfWork unit, OperationalException discrepancy) {
    publish(
        unit,
        EXCEPTION_RAISED,
        discrepancy.reference(),
        discrepancy.exceptionId().toString(),
        discrepancy);
  }

  /** Reserved units left the building: stock takes them out of committed. */
  public void recordShipment(
      UnitOfWork unit,
      UUID shipmentId,
      UUID reservationId,
      String reference,
      List<StockLine> lines) {
    publish(
        unit,
        SHIPMENT_RECORDED,
        reference,
        shipmentId.toString(),
        new Shipment(shipmentId.toString(), reservationId, reference, lines));
  }

  private void publish(
      UnitOfWork unit, String type, String reference, String correlationId, Object data) {
    unit.publish(
        Envelope.create(type, SOURCE, reference, null, correlationId, mapper.valueToTree(data)),
        reference);
  }
}
