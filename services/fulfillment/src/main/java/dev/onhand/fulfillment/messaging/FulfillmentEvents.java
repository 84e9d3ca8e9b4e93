package dev.onhand.fulfillment.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.tx.UnitOfWork;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
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
  public static final String ORDER_SHIPPED = "fulfillment.order.shipped";
  public static final String ORDER_ALLOCATED = "fulfillment.order.allocated";

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

  record Shipment(String shipmentId, UUID reservationId, String reference, List<StockLine> lines) {}

  /**
   * Units of an order line that count as shipped; {@code mispickedAs}, for a mispick only, is the
   * SKU that actually left instead.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ShippedLine(String sku, long quantity, String mispickedAs) {}

  record OrderShipped(
      UUID orderId,
      String channel,
      String channelOrderId,
      UUID shipmentId,
      String location,
      OffsetDateTime occurredAt,
      List<ShippedLine> lines) {}

  /**
   * An order line's first-allocation outcome: {@code location} is where the first allocation asked
   * for it (null when it asked nowhere), always written, as the contract requires the member.
   */
  public record AllocatedLine(
      String sku,
      long quantity,
      @JsonInclude(JsonInclude.Include.ALWAYS) String location,
      boolean filledAtFirstAllocation) {}

  record OrderAllocated(
      UUID orderId,
      String channel,
      String channelOrderId,
      OffsetDateTime allocatedAt,
      List<AllocatedLine> lines) {}

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

  /**
   * Units of an order now count as shipped (a shipment or a mispick), per order, for the returns
   * service; {@code shipmentId} deduplicates it. Moves no stock.
   */
  public void orderShipped(
      UnitOfWork unit,
      UUID orderId,
      String channel,
      String channelOrderId,
      UUID shipmentId,
      String location,
      List<ShippedLine> lines) {
    publish(
        unit,
        ORDER_SHIPPED,
        "order:" + orderId,
        shipmentId.toString(),
        new OrderShipped(
            orderId, channel, channelOrderId, shipmentId, location, OffsetDateTime.now(), lines));
  }

  /**
   * The outcome of an order's first allocation, once per order, for stock's fill rate; {@code
   * orderId} deduplicates it.
   */
  public void orderAllocated(
      UnitOfWork unit,
      UUID orderId,
      String channel,
      String channelOrderId,
      OffsetDateTime allocatedAt,
      List<AllocatedLine> lines) {
    publish(
        unit,
        ORDER_ALLOCATED,
        "order:" + orderId,
        orderId.toString(),
        new OrderAllocated(orderId, channel, channelOrderId, allocatedAt, lines));
  }

  private void publish(
      UnitOfWork unit, String type, String reference, String correlationId, Object data) {
    unit.publish(
        Envelope.create(type, SOURCE, reference, null, correlationId, mapper.valueToTree(data)),
        reference);
  }
}
