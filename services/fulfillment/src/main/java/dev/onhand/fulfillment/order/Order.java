package dev.onhand.fulfillment.order;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An order as the API shows it. */
public record Order(
    UUID id,
    String channel,
    String channelOrderId,
    OrderStatus status,
    JsonNode shipTo,
    List<Line> lines,
    List<Allocation> allocations,
    List<Shipment> shipments,
    List<Transition> transitions,
    OffsetDateTime createdAt) {

  /**
   * A line's units: {@code pending} (asked of stock), {@code allocated} (reserved, not shipped),
   * {@code shipped}, {@code cancelled}, and {@code backordered} (the rest, waiting for stock).
   * {@code filledAtFirstAllocation} is the fill-rate datum: whether the first allocation reserved
   * the whole line (null until known).
   */
  @Schema(name = "OrderLine")
  public record Line(
      String sku,
      long quantity,
      long pending,
      long allocated,
      long shipped,
      long cancelled,
      Boolean filledAtFirstAllocation) {
    @JsonProperty
    public long backordered() {
      return quantity - pending - allocated - shipped - cancelled;
    }
  }

  /**
   * {@code thirdPartyDispatch}: for a THIRD_PARTY location, whether the order was sent to the 3PL
   * (PENDING, SENT, FAILED); null elsewhere.
   */
  public record Allocation(
      UUID id,
      String location,
      String status,
      UUID reservationId,
      String thirdPartyDispatch,
      List<AllocationLine> lines) {}

  /** {@code open} units are still reserved for the order at the location. */
  public record AllocationLine(String sku, long quantity, long shipped, long released) {
    @JsonProperty
    public long open() {
      return quantity - shipped - released;
    }
  }

  public record Shipment(
      UUID id,
      String location,
      String carrier,
      String trackingNumber,
      List<ShipmentLine> lines,
      OffsetDateTime createdAt) {}

  public record ShipmentLine(String sku, long quantity) {}

  public record Transition(OffsetDateTime at, OrderStatus status, String cause) {}
}
