package dev.onhand.fulfillment.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.platform.messaging.Envelope;
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

  private final ObjectMapper mapper;

  public FulfillmentEvents(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** A quantity of one SKU at one location (common.v1.json stockLine). */
  public record StockLine(String sku, String location, long quantity) {}

  record ReservationRequest(String reference, List<StockLine> lines) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ReleaseRequest(UUID reservationId, List<StockLine> lines, String cause) {}

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
        new ReleaseRequest(reservationId, lines, cause));
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
