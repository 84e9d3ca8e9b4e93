package dev.onhand.fulfillment.order;

import dev.onhand.fulfillment.allocation.Allocator;
import dev.onhand.fulfillment.messaging.FulfillmentEvents;
import dev.onhand.fulfillment.messaging.FulfillmentEvents.StockLine;
import dev.onhand.fulfillment.stockview.Availability;
import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.reference.StockReferences;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * An order's life: placed and allocated, reserved by stock (or rejected and allocated again),
 * shipped, cancelled. Every change to stock leaves through the outbox in the transaction that
 * changed the order.
 */
@ApplicationScoped
public class OrderService {
  private static final Logger LOG = Logger.getLogger(OrderService.class);

  private final OrderRepository orders;
  private final Allocator allocator;
  private final Availability availability;
  private final StockReferences references;
  private final FulfillmentEvents events;

  public OrderService(
      OrderRepository orders,
      Allocator allocator,
      Availability availability,
      StockReferences references,
      FulfillmentEvents events) {
    this.orders = orders;
    this.allocator = allocator;
    this.availability = availability;
    this.references = references;
    this.events = events;
  }

  /** The placed order; the same (channel, channel order id) again returns the first one. */
  public Uni<Order> place(UnitOfWork unit, OrderRequest request) {
    Map<String, String> skus = distinct(request.lines(), OrderRequest.Line::sku);
    UUID id = UUID.randomUUID();
    return references
        .requireKnown(unit.sql(), null, null, skus)
        .chain(() -> orders.insert(unit.sql(), id, request))
        .chain(
            existing ->
                existing != null
                    ? orders.find(unit.sql(), existing)
                    : allocator
                        .allocate(unit, id, "allocation requested")
                        .chain(() -> orders.find(unit.sql(), id)));
  }

  /** Stock reserved an allocation's units. */
  public Uni<Void> confirmed(UnitOfWork unit, UUID allocationId, UUID reservationId) {
    return orders
        .lockAllocation(unit.sql(), allocationId)
        .chain(
            allocation -> {
              if (allocation == null || !allocation.status().equals("REQUESTED")) {
                LOG.warnf("confirmation of unknown or settled allocation %s ignored", allocationId);
                return Uni.createFrom().voidItem();
              }
              return orders
                  .lock(unit.sql(), allocation.orderId())
                  .chain(
                      header -> {
                        Uni<Void> chain =
                            orders.settleAllocation(
                                unit.sql(), allocationId, "CONFIRMED", reservationId);
                        for (Order.AllocationLine line : allocation.lines()) {
                          chain =
                              chain.chain(
                                  () ->
                                      orders.moveUnits(
                                          unit.sql(),
                                          allocation.orderId(),
                                          line.sku(),
                                          -line.quantity(),
                                          line.quantity(),
                                          0,
                                          0));
                          if (allocation.firstRound()) {
                            chain =
                                chain.chain(
                                    () ->
                                        orders.firstAllocation(
                                            unit.sql(), allocation.orderId(), line.sku(), true));
                          }
                        }
                        return chain.chain(
                            () ->
                                orders
                                    .restate(
                                        unit.sql(),
                                        allocation.orderId(),
                                        header.status(),
                                        "reserved at " + allocation.location())
                                    .replaceWithVoid());
                      });
            });
  }

  /** Stock could not reserve an allocation: believe its count and allocate the order again. */
  public Uni<Void> rejected(UnitOfWork unit, UUID allocationId, Map<String, Long> availableNow) {
    return orders
        .lockAllocation(unit.sql(), allocationId)
        .chain(
            allocation -> {
              if (allocation == null || !allocation.status().equals("REQUESTED")) {
                LOG.warnf("rejection of unknown or settled allocation %s ignored", allocationId);
                return Uni.createFrom().voidItem();
              }
              return orders
                  .lock(unit.sql(), allocation.orderId())
                  .chain(
                      header -> {
                        Uni<Void> chain =
                            orders.settleAllocation(unit.sql(), allocationId, "REJECTED", null);
                        for (Order.AllocationLine line : allocation.lines()) {
                          chain =
                              chain.chain(
                                  () ->
                                      orders.moveUnits(
                                          unit.sql(),
                                          allocation.orderId(),
                                          line.sku(),
                                          -line.quantity(),
                                          0,
                                          0,
                                          0));
                          if (allocation.firstRound()) {
                            chain =
                                chain.chain(
                                    () ->
                                        orders.notFilledAtFirst(
                                            unit.sql(), allocation.orderId(), line.sku()));
                          }
                          Long now = availableNow.get(line.sku());
                          if (now != null) {
                            chain =
                                chain.chain(
                                    () ->
                                        availability.atMost(
                                            unit.sql(), line.sku(), allocation.location(), now));
                          }
                        }
                        return chain
                            .chain(
                                () ->
                                    orders.restate(
                                        unit.sql(),
                                        allocation.orderId(),
                                        header.status(),
                                        "refused by stock at " + allocation.location()))
                            .chain(
                                () ->
                                    allocator.allocate(
                                        unit, allocation.orderId(), "allocated again"))
                            .replaceWithVoid();
                      });
            });
  }

  /** Reserved units left a location: they leave stock's committed units. */
  public Uni<Order> ship(UnitOfWork unit, UUID orderId, ShipmentRequest request) {
    Map<String, String> skus = distinct(request.lines(), ShipmentRequest.Line::sku);
    UUID shipmentId = UUID.randomUUID();
    return open(unit, orderId)
        .chain(
            header ->
                orders
                    .openAllocations(unit.sql(), orderId)
                    .chain(
                        allocations -> {
                          // take each line's units from the oldest open reservations there
                          Map<UUID, List<StockLine>> perReservation = new LinkedHashMap<>();
                          List<FieldError> errors = new ArrayList<>();
                          Uni<Void> chain = Uni.createFrom().voidItem();
                          for (ShipmentRequest.Line line : request.lines()) {
                            long remaining = line.quantity();
                            for (OrderRepository.StoredAllocation a : allocations) {
                              if (!a.location().equals(request.location()) || remaining == 0) {
                                continue;
                              }
                              for (Order.AllocationLine al : a.lines()) {
                                if (al.sku().equals(line.sku()) && al.open() > 0 && remaining > 0) {
                                  long take = Math.min(remaining, al.open());
                                  remaining -= take;
                                  perReservation
                                      .computeIfAbsent(a.reservationId(), k -> new ArrayList<>())
                                      .add(new StockLine(line.sku(), request.location(), take));
                                  chain =
                                      chain.chain(
                                          () ->
                                              orders.allocationUnitsLeft(
                                                  unit.sql(), a.id(), line.sku(), take, 0));
                                }
                              }
                            }
                            if (remaining > 0) {
                              errors.add(
                                  new FieldError(
                                      skus.get(line.sku()).replace(".sku", ".quantity"),
                                      "EXCEEDS_ALLOCATED",
                                      "more than is reserved for this order at "
                                          + request.location()));
                            }
                            chain =
                                chain.chain(
                                    () ->
                                        orders.moveUnits(
                                            unit.sql(),
                                            orderId,
                                            line.sku(),
                                            0,
                                            -line.quantity(),
                                            line.quantity(),
                                            0));
                          }
                          if (!errors.isEmpty()) {
                            throw ProblemException.unprocessable(
                                    "EXCEEDS_ALLOCATED",
                                    "A shipment may only carry units reserved for the order at"
                                        + " its location.")
                                .withErrors(errors);
                          }
                          String reference = Allocator.ORDER_REFERENCE + orderId;
                          perReservation.forEach(
                              (reservationId, lines) ->
                                  events.recordShipment(
                                      unit, shipmentId, reservationId, reference, lines));
                          return chain
                              .chain(
                                  () ->
                                      orders.insertShipment(
                                          unit.sql(), shipmentId, orderId, request))
                              .chain(
                                  () ->
                                      orders.restate(
                                          unit.sql(),
                                          orderId,
                                          header.status(),
                                          "shipped from " + request.location()));
                        }))
        .chain(() -> orders.find(unit.sql(), orderId));
  }

  /**
   * Cancels the whole order or some units: backordered units first, then reserved ones, whose
   * reservations are released. Units still being asked of stock cannot be cancelled yet (409).
   */
  public Uni<Order> cancel(UnitOfWork unit, UUID orderId, CancelRequest request) {
    String cause = request.reason() == null ? "cancelled" : "cancelled: " + request.reason();
    return open(unit, orderId)
        .chain(
            header ->
                Uni.combine()
                    .all()
                    .unis(
                        orders.lines(unit.sql(), orderId),
                        orders.openAllocations(unit.sql(), orderId))
                    .asTuple()
                    .chain(
                        found -> {
                          Map<String, Order.Line> lines = new LinkedHashMap<>();
                          found.getItem1().forEach(l -> lines.put(l.sku(), l));
                          Map<String, Long> wanted = new LinkedHashMap<>();
                          List<FieldError> errors = new ArrayList<>();
                          if (request.lines() == null) {
                            lines
                                .values()
                                .forEach(
                                    l ->
                                        wanted.put(
                                            l.sku(),
                                            l.backordered() + l.allocated() + l.pending()));
                          } else {
                            Map<String, String> fields =
                                distinct(request.lines(), CancelRequest.Line::sku);
                            for (CancelRequest.Line l : request.lines()) {
                              Order.Line line = lines.get(l.sku());
                              if (line == null) {
                                errors.add(
                                    new FieldError(
                                        fields.get(l.sku()), "NOT_ON_ORDER", "not on this order"));
                              } else if (l.quantity()
                                  > line.backordered() + line.allocated() + line.pending()) {
                                errors.add(
                                    new FieldError(
                                        fields.get(l.sku()).replace(".sku", ".quantity"),
                                        "EXCEEDS_OPEN",
                                        "more than is neither shipped nor cancelled"));
                              } else {
                                wanted.put(l.sku(), l.quantity());
                              }
                            }
                          }
                          if (!errors.isEmpty()) {
                            throw ProblemException.unprocessable(
                                    "EXCEEDS_OPEN", "Only units not yet shipped can be cancelled.")
                                .withErrors(errors);
                          }
                          Map<UUID, List<StockLine>> releases = new LinkedHashMap<>();
                          Uni<Void> chain = Uni.createFrom().voidItem();
                          for (Map.Entry<String, Long> w : wanted.entrySet()) {
                            Order.Line line = lines.get(w.getKey());
                            long fromBackorder = Math.min(w.getValue(), line.backordered());
                            long fromReserved =
                                Math.min(w.getValue() - fromBackorder, line.allocated());
                            if (w.getValue() - fromBackorder - fromReserved > 0) {
                              throw ProblemException.conflict(
                                  "ALLOCATION_IN_PROGRESS",
                                  "Stock is still being asked for some of these units; retry in a"
                                      + " moment.");
                            }
                            long remaining = fromReserved;
                            for (OrderRepository.StoredAllocation a : found.getItem2()) {
                              for (Order.AllocationLine al : a.lines()) {
                                if (al.sku().equals(line.sku()) && al.open() > 0 && remaining > 0) {
                                  long take = Math.min(remaining, al.open());
                                  remaining -= take;
                                  releases
                                      .computeIfAbsent(a.reservationId(), k -> new ArrayList<>())
                                      .add(new StockLine(line.sku(), a.location(), take));
                                  chain =
                                      chain.chain(
                                          () ->
                                              orders.allocationUnitsLeft(
                                                  unit.sql(), a.id(), line.sku(), 0, take));
                                }
                              }
                            }
                            chain =
                                chain.chain(
                                    () ->
                                        orders.moveUnits(
                                            unit.sql(),
                                            orderId,
                                            line.sku(),
                                            0,
                                            -fromReserved,
                                            0,
                                            fromBackorder + fromReserved));
                          }
                          String reference = Allocator.ORDER_REFERENCE + orderId;
                          releases.forEach(
                              (reservationId, units) ->
                                  events.requestRelease(
                                      unit, reference, reservationId, units, "cancelled"));
                          return chain.chain(
                              () -> orders.restate(unit.sql(), orderId, header.status(), cause));
                        }))
        .chain(() -> orders.find(unit.sql(), orderId));
  }

  /** Stock announced a balance: newer availability may serve orders waiting for the SKU. */
  public Uni<Void> inventoryChanged(
      UnitOfWork unit, String sku, String location, long available, long sequence) {
    return availability
        .announced(unit.sql(), sku, location, available, sequence)
        .chain(
            () ->
                available > 0
                    ? allocator.serveBackorders(unit, sku, "stock arrived")
                    : Uni.createFrom().voidItem());
  }

  private Uni<OrderRepository.Header> open(UnitOfWork unit, UUID orderId) {
    return orders
        .lock(unit.sql(), orderId)
        .map(
            header -> {
              if (header == null) {
                throw ProblemException.notFound("ORDER_NOT_FOUND", "No order " + orderId + ".");
              }
              if (header.status().closed()) {
                throw ProblemException.conflict(
                        "ORDER_CLOSED", "Order " + orderId + " is " + header.status() + ".")
                    .with("orderStatus", header.status().name());
              }
              return header;
            });
  }

  /** Each SKU once; 400 naming the repeated line otherwise. Maps SKU → its field. */
  static <L> Map<String, String> distinct(List<L> lines, Function<L, String> sku) {
    Map<String, String> fields = new LinkedHashMap<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String field = "lines[" + i + "].sku";
      if (fields.putIfAbsent(sku.apply(lines.get(i)), field) != null) {
        errors.add(new FieldError(field, "DUPLICATE_SKU", "each SKU once per request"));
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.validation(errors);
    }
    return fields;
  }
}
