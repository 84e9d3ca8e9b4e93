package dev.onhand.fulfillment.order;

import dev.onhand.fulfillment.allocation.Allocator;
import dev.onhand.fulfillment.messaging.FulfillmentEvents;
import dev.onhand.fulfillment.messaging.FulfillmentEvents.StockLine;
import dev.onhand.fulfillment.stockview.Availability;
import dev.onhand.fulfillment.thirdparty.ThirdPartyDispatcher;
import dev.onhand.platform.api.Lines;
import dev.onhand.platform.messaging.OperationalException;
import dev.onhand.platform.messaging.StockMovements;
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
  private final ThirdPartyDispatcher thirdParties;
  private final StockMovements stockMovements;

  public OrderService(
      OrderRepository orders,
      Allocator allocator,
      Availability availability,
      StockReferences references,
      FulfillmentEvents events,
      ThirdPartyDispatcher thirdParties,
      StockMovements stockMovements) {
    this.orders = orders;
    this.allocator = allocator;
    this.availability = availability;
    this.references = references;
    this.events = events;
    this.thirdParties = thirdParties;
    this.stockMovements = stockMovements;
  }

  /** The placed order; the same (channel, channel order id) again returns the first one. */
  public Uni<Order> place(UnitOfWork unit, OrderRequest request) {
    Map<String, String> skus = Lines.distinctSkus(request.lines(), OrderRequest.Line::sku);
    UUID id = UUID.randomUUID();
    return references
        .requireKnown(unit.sql(), null, null, skus)
        .chain(() -> orders.insert(unit.sql(), id, request))
        .chain(
            existing ->
                existing != null
                    ? orders.find(unit.sql(), existing)
                    : orders
                        .takeEarlyCancellation(
                            unit.sql(), request.channel(), request.channelOrderId())
                        .chain(
                            early ->
                                early == null
                                    ? allocator.allocateNew(unit, id, "allocation requested")
                                    : cancelUnallocated(unit, id, request, early))
                        .chain(() -> orders.find(unit.sql(), id)));
  }

  /** An order the channel cancelled before it arrived: every unit cancelled, nothing reserved. */
  private Uni<Long> cancelUnallocated(
      UnitOfWork unit, UUID id, OrderRequest request, String reason) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (OrderRequest.Line line : request.lines()) {
      chain =
          chain.chain(() -> orders.moveUnits(unit.sql(), id, line.sku(), 0, 0, 0, line.quantity()));
    }
    String cause =
        "cancelled by the channel before it arrived" + (reason.isEmpty() ? "" : ": " + reason);
    return chain
        .chain(() -> orders.restate(unit.sql(), id, OrderStatus.RECEIVED, cause))
        .replaceWith(0L);
  }

  /**
   * The channel cancelled an order: everything not shipped is cancelled now, or, while stock is
   * still being asked for some units, as soon as it has answered. An order not placed yet is
   * cancelled when it arrives; an order already closed stays as it is.
   */
  public Uni<Void> cancelFromChannel(
      UnitOfWork unit, String channel, String channelOrderId, String reason) {
    return orders
        .findByChannel(unit.sql(), channel, channelOrderId)
        .chain(
            id -> {
              if (id == null) {
                return orders.rememberEarlyCancellation(
                    unit.sql(), channel, channelOrderId, reason);
              }
              return orders
                  .lock(unit.sql(), id)
                  .chain(
                      header ->
                          header.status().closed()
                              ? Uni.createFrom().voidItem()
                              : orders
                                  .requestCancel(
                                      unit.sql(), id, reason == null ? "by the channel" : reason)
                                  .chain(() -> applyRequestedCancel(unit, id)));
            });
  }

  /** Applies a waiting cancellation once no unit of the order is still being asked of stock. */
  private Uni<Void> applyRequestedCancel(UnitOfWork unit, UUID orderId) {
    return orders
        .cancelRequested(unit.sql(), orderId)
        .chain(
            reason ->
                reason == null
                    ? Uni.createFrom().voidItem()
                    : orders
                        .lines(unit.sql(), orderId)
                        .chain(
                            lines ->
                                lines.stream().anyMatch(l -> l.pending() > 0)
                                    ? Uni.createFrom().voidItem()
                                    : orders
                                        .requestCancel(unit.sql(), orderId, null)
                                        .chain(
                                            () ->
                                                cancel(
                                                    unit, orderId, new CancelRequest(reason, null)))
                                        .replaceWithVoid()));
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
                                unit.sql(), allocation, "CONFIRMED", reservationId);
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
                        if (allocation.firstRound()) {
                          chain =
                              chain.chain(
                                  () ->
                                      allocator.announceFirstAllocation(
                                          unit, allocation.orderId()));
                        }
                        return chain
                            .chain(() -> references.locationType(unit.sql(), allocation.location()))
                            .chain(
                                type ->
                                    "THIRD_PARTY".equals(type)
                                        ? thirdParties.enqueue(
                                            unit.sql(), allocationId, allocation.location())
                                        : Uni.createFrom().voidItem())
                            .chain(
                                () ->
                                    orders.restate(
                                        unit.sql(),
                                        allocation.orderId(),
                                        header.status(),
                                        "reserved at " + allocation.location()))
                            .chain(() -> applyRequestedCancel(unit, allocation.orderId()));
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
                            orders.settleAllocation(unit.sql(), allocation, "REJECTED", null);
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
                        if (allocation.firstRound()) {
                          chain =
                              chain.chain(
                                  () ->
                                      allocator.announceFirstAllocation(
                                          unit, allocation.orderId()));
                        }
                        return chain
                            .chain(
                                () ->
                                    orders.restate(
                                        unit.sql(),
                                        allocation.orderId(),
                                        header.status(),
                                        "refused by stock at " + allocation.location()))
                            .chain(() -> orders.cancelRequested(unit.sql(), allocation.orderId()))
                            .chain(
                                cancelling ->
                                    cancelling != null
                                        ? applyRequestedCancel(unit, allocation.orderId())
                                        : allocator
                                            .allocate(unit, allocation.orderId(), "allocated again")
                                            .replaceWithVoid());
                      });
            });
  }

  /**
   * Reserved units left a location: they leave stock's committed units ({@code
   * fulfillment.shipment.recorded} per reservation), and the order announces them as shipped
   * ({@code fulfillment.order.shipped}, keyed by the shipment id).
   */
  public Uni<Order> ship(UnitOfWork unit, UUID orderId, ShipmentRequest request) {
    Map<String, String> skus = Lines.distinctSkus(request.lines(), ShipmentRequest.Line::sku);
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
                          events.orderShipped(
                              unit,
                              orderId,
                              header.channel(),
                              header.channelOrderId(),
                              shipmentId,
                              request.location(),
                              request.lines().stream()
                                  .map(
                                      l ->
                                          new FulfillmentEvents.ShippedLine(
                                              l.sku(), l.quantity(), null))
                                  .toList());
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
                                Lines.distinctSkus(request.lines(), CancelRequest.Line::sku);
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

  /**
   * A picker's finding. SHORT_PICK: the units are lost at the location (they leave stock's
   * committed units as lost) and the line is allocated again elsewhere. MISPICK: another SKU left
   * instead: the parcel counts as shipped, the reserved units go back to available and the SKU that
   * left leaves available, and the units are announced as shipped ({@code
   * fulfillment.order.shipped}, with {@code mispickedAs}). Both raise an exception for stock's
   * register.
   */
  public Uni<Order> pickException(UnitOfWork unit, UUID orderId, PickExceptionRequest request) {
    boolean mispick = request.type() == PickExceptionRequest.Type.MISPICK;
    if (mispick && (request.shippedSku() == null || request.shippedSku().equals(request.sku()))) {
      throw ProblemException.validation(
          List.of(new FieldError("shippedSku", "REQUIRED", "the SKU that left instead of sku")));
    }
    Uni<Void> known =
        mispick
            ? references.requireKnown(
                unit.sql(), null, null, Map.of(request.shippedSku(), "shippedSku"))
            : Uni.createFrom().voidItem();
    String reference = Allocator.ORDER_REFERENCE + orderId;
    return known
        .chain(() -> open(unit, orderId))
        .chain(
            header ->
                orders
                    .openAllocations(unit.sql(), orderId)
                    .chain(
                        allocations -> {
                          Map<UUID, List<StockLine>> perReservation = new LinkedHashMap<>();
                          Uni<Void> chain = Uni.createFrom().voidItem();
                          long remaining = request.quantity();
                          for (OrderRepository.StoredAllocation a : allocations) {
                            if (!a.location().equals(request.location())) {
                              continue;
                            }
                            for (Order.AllocationLine al : a.lines()) {
                              if (al.sku().equals(request.sku())
                                  && al.open() > 0
                                  && remaining > 0) {
                                long take = Math.min(remaining, al.open());
                                remaining -= take;
                                perReservation
                                    .computeIfAbsent(a.reservationId(), k -> new ArrayList<>())
                                    .add(new StockLine(request.sku(), request.location(), take));
                                chain =
                                    chain.chain(
                                        () ->
                                            orders.allocationUnitsLeft(
                                                unit.sql(), a.id(), request.sku(), 0, take));
                              }
                            }
                          }
                          if (remaining > 0) {
                            throw ProblemException.unprocessable(
                                    "EXCEEDS_ALLOCATED",
                                    "Only units reserved for the order at the location can be"
                                        + " mispicked or short.")
                                .withErrors(
                                    List.of(
                                        new FieldError(
                                            "quantity",
                                            "EXCEEDS_ALLOCATED",
                                            "more than is reserved for this order at "
                                                + request.location())));
                          }
                          long q = request.quantity();
                          String cause;
                          if (mispick) {
                            cause =
                                "mispick at "
                                    + request.location()
                                    + ": "
                                    + request.shippedSku()
                                    + " shipped instead of "
                                    + request.sku();
                            perReservation.forEach(
                                (reservationId, lines) ->
                                    events.requestRelease(
                                        unit, reference, reservationId, lines, "mispick"));
                            stockMovements.request(
                                unit,
                                UUID.randomUUID(),
                                "mispick",
                                reference,
                                java.time.OffsetDateTime.now(),
                                List.of(
                                    new StockMovements.Line(
                                        request.shippedSku(),
                                        request.location(),
                                        "available",
                                        -q,
                                        null)));
                            chain =
                                chain.chain(
                                    () ->
                                        orders.moveUnits(
                                            unit.sql(), orderId, request.sku(), 0, -q, q, 0));
                            // the units count as shipped: the order's shipped units grow
                            events.orderShipped(
                                unit,
                                orderId,
                                header.channel(),
                                header.channelOrderId(),
                                UUID.randomUUID(),
                                request.location(),
                                List.of(
                                    new FulfillmentEvents.ShippedLine(
                                        request.sku(), q, request.shippedSku())));
                          } else {
                            cause = "short pick at " + request.location() + ", allocated again";
                            perReservation.forEach(
                                (reservationId, lines) ->
                                    events.requestLoss(
                                        unit, reference, reservationId, lines, "short_pick"));
                            chain =
                                chain.chain(
                                    () ->
                                        orders.moveUnits(
                                            unit.sql(), orderId, request.sku(), 0, -q, 0, 0));
                          }
                          stockMovements.raise(
                              unit,
                              new OperationalException(
                                  UUID.randomUUID(),
                                  request.type().name(),
                                  "MEDIUM",
                                  reference,
                                  java.time.OffsetDateTime.now(),
                                  request.sku(),
                                  request.location(),
                                  q,
                                  0L,
                                  mispick ? List.of("sku:" + request.shippedSku()) : null,
                                  request.note() == null
                                      ? cause
                                      : cause + " (" + request.note() + ")"));
                          return chain
                              .chain(
                                  () -> orders.restate(unit.sql(), orderId, header.status(), cause))
                              .chain(
                                  () ->
                                      mispick
                                          ? Uni.createFrom().voidItem()
                                          : allocator
                                              .allocate(
                                                  unit,
                                                  orderId,
                                                  "allocated again after a short pick",
                                                  java.util.Set.of(request.location()))
                                              .replaceWithVoid());
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
}
