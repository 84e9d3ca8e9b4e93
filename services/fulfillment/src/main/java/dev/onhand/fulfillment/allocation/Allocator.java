package dev.onhand.fulfillment.allocation;

import dev.onhand.fulfillment.messaging.FulfillmentEvents;
import dev.onhand.fulfillment.order.OrderRepository;
import dev.onhand.fulfillment.stockview.Availability;
import dev.onhand.platform.tx.StaleRead;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Allocates what an order still lacks: the strategy plans from the locations eligible for the
 * order's channel and the units free there, and stock is asked to reserve each location's share
 * (one {@code fulfillment.reservation.requested} per location, correlated by the allocation id).
 * Stock's answer settles the allocation; a rejection allocates again.
 */
@ApplicationScoped
public class Allocator {
  public static final String ORDER_REFERENCE = "order:";

  private final OrderRepository orders;
  private final ChannelLocations channels;
  private final Availability availability;
  private final AllocationStrategy strategy;
  private final FulfillmentEvents events;

  public Allocator(
      OrderRepository orders,
      ChannelLocations channels,
      Availability availability,
      AllocationStrategy strategy,
      FulfillmentEvents events) {
    this.orders = orders;
    this.channels = channels;
    this.availability = availability;
    this.strategy = strategy;
    this.events = events;
  }

  /** Allocates the order's backordered units, if any can be; returns the units requested. */
  public Uni<Long> allocate(UnitOfWork unit, UUID orderId, String cause) {
    return allocate(unit, orderId, cause, Set.of());
  }

  /** The same, without the {@code excluded} locations (e.g. one where units were not found). */
  public Uni<Long> allocate(UnitOfWork unit, UUID orderId, String cause, Set<String> excluded) {
    return allocate(unit, orderId, cause, excluded, false);
  }

  /**
   * A new order's first allocation. Orders of one SKU arrive together (a flash sale) and each
   * counts the units it asks of stock on the SKU's availability rows; locking those rows while the
   * order is planned and stored would queue the SKU's orders one whole transaction after another.
   * So the first attempt plans from an unlocked read and, as the last step before the commit, locks
   * the rows, checks that they still give the same plan and adds its units to them; if they do not,
   * the transaction runs again ({@link StaleRead}), this time locking the rows before it plans.
   */
  public Uni<Long> allocateNew(UnitOfWork unit, UUID orderId, String cause) {
    return allocate(unit, orderId, cause, Set.of(), unit.attempt() == 1);
  }

  private Uni<Long> allocate(
      UnitOfWork unit, UUID orderId, String cause, Set<String> excluded, boolean claimLast) {
    return orders
        .lock(unit.sql(), orderId)
        .chain(
            header -> {
              if (header == null || header.status().closed()) {
                return Uni.createFrom().item(0L);
              }
              return orders
                  .lines(unit.sql(), orderId)
                  .chain(
                      lines -> {
                        List<AllocationStrategy.Need> needs = new ArrayList<>();
                        lines.stream()
                            .filter(l -> l.backordered() > 0)
                            .forEach(
                                l ->
                                    needs.add(
                                        new AllocationStrategy.Need(l.sku(), l.backordered())));
                        if (needs.isEmpty()) {
                          return Uni.createFrom().item(0L);
                        }
                        return Uni.combine()
                            .all()
                            .unis(
                                channels.of(unit.sql(), header.channel()),
                                orders.hasAllocations(unit.sql(), orderId))
                            .asTuple()
                            .chain(
                                found ->
                                    plan(
                                        unit,
                                        orderId,
                                        needs,
                                        without(found.getItem1(), excluded),
                                        !found.getItem2(),
                                        claimLast))
                            .call(
                                () -> orders.restate(unit.sql(), orderId, header.status(), cause));
                      });
            });
  }

  private Uni<Long> plan(
      UnitOfWork unit,
      UUID orderId,
      List<AllocationStrategy.Need> needs,
      ChannelLocations.Eligibility eligibility,
      boolean firstRound,
      boolean claimLast) {
    List<String> skus = needs.stream().map(AllocationStrategy.Need::sku).toList();
    return availability
        .free(unit.sql(), skus, eligibility.rankedLocations(), !claimLast)
        .chain(
            free -> {
              AllocationStrategy.Plan plan =
                  strategy.allocate(
                      needs,
                      new AllocationStrategy.Supply(
                          eligibility.rankedLocations(), free, eligibility.allowSplit()));
              Uni<Void> chain = Uni.createFrom().voidItem();
              long requested = 0;
              List<Availability.Claim> claims = new ArrayList<>();
              String reference = ORDER_REFERENCE + orderId;
              for (Map.Entry<String, Map<String, Long>> at : plan.byLocation().entrySet()) {
                UUID allocationId = UUID.randomUUID();
                String location = at.getKey();
                Map<String, Long> units = at.getValue();
                List<FulfillmentEvents.StockLine> lines = new ArrayList<>();
                for (Map.Entry<String, Long> u : units.entrySet()) {
                  lines.add(new FulfillmentEvents.StockLine(u.getKey(), location, u.getValue()));
                  claims.add(new Availability.Claim(u.getKey(), location, u.getValue()));
                  requested += u.getValue();
                  chain =
                      chain.chain(
                          () ->
                              orders.moveUnits(
                                  unit.sql(), orderId, u.getKey(), u.getValue(), 0, 0, 0));
                }
                chain =
                    chain.chain(
                        () ->
                            orders.insertAllocation(
                                unit.sql(),
                                allocationId,
                                orderId,
                                location,
                                firstRound,
                                units,
                                !claimLast));
                events.requestReservation(unit, allocationId, reference, lines);
              }
              if (firstRound) {
                // a line the first plan could not cover whole was not filled from stock at once
                for (AllocationStrategy.Need need : needs) {
                  if (planned(plan, need.sku()) < need.quantity()) {
                    chain =
                        chain.chain(
                            () -> orders.firstAllocation(unit.sql(), orderId, need.sku(), false));
                  }
                }
              }
              if (firstRound) {
                // decided now when no line waits for stock (e.g. everything backordered)
                chain = chain.chain(() -> announceFirstAllocation(unit, orderId));
              }
              if (claimLast) {
                unit.last(() -> stillPlanned(unit, needs, eligibility, plan, claims));
              }
              long total = requested;
              return chain.replaceWith(total);
            });
  }

  /**
   * The last step of a plan made from an unlocked read: locks the rows it was made from, and keeps
   * it only if the same plan follows from what they hold now; then counts its units as requested.
   * Locking waits for any transaction still changing the rows (another order's units, a stock event
   * whose backorder pass cannot see this order yet), so nothing is planned from a stale count.
   */
  private Uni<Void> stillPlanned(
      UnitOfWork unit,
      List<AllocationStrategy.Need> needs,
      ChannelLocations.Eligibility eligibility,
      AllocationStrategy.Plan plan,
      List<Availability.Claim> claims) {
    List<String> skus = needs.stream().map(AllocationStrategy.Need::sku).toList();
    return availability
        .free(unit.sql(), skus, eligibility.rankedLocations(), true)
        .chain(
            now -> {
              AllocationStrategy.Plan again =
                  strategy.allocate(
                      needs,
                      new AllocationStrategy.Supply(
                          eligibility.rankedLocations(), now, eligibility.allowSplit()));
              if (!again.byLocation().equals(plan.byLocation())) {
                return Uni.createFrom()
                    .failure(new StaleRead("the free units of " + skus + " changed meanwhile"));
              }
              return Availability.changeRequested(unit.sql(), claims);
            });
  }

  /** Units of the SKU the plan asks for, over every location. */
  private static long planned(AllocationStrategy.Plan plan, String sku) {
    return plan.byLocation().values().stream().mapToLong(m -> m.getOrDefault(sku, 0L)).sum();
  }

  /**
   * Publishes the outcome of the order's first allocation ({@code fulfillment.order.allocated},
   * stock's fill-rate datum) once it is decided, exactly once per order. Called, under the order's
   * lock, by every transaction that can decide a line's outcome: the first plan and stock's answer
   * to a first-round reservation request.
   */
  public Uni<Void> announceFirstAllocation(UnitOfWork unit, UUID orderId) {
    return orders
        .claimFirstAllocationAnnouncement(unit.sql(), orderId)
        .chain(
            claim ->
                claim == null
                    ? Uni.createFrom().voidItem()
                    : orders
                        .firstAllocationLines(unit.sql(), orderId)
                        .invoke(
                            lines ->
                                events.orderAllocated(
                                    unit,
                                    orderId,
                                    claim.channel(),
                                    claim.channelOrderId(),
                                    claim.allocatedAt(),
                                    lines.stream()
                                        .map(
                                            l ->
                                                new FulfillmentEvents.AllocatedLine(
                                                    l.sku(),
                                                    l.quantity(),
                                                    l.location(),
                                                    l.filled()))
                                        .toList()))
                        .replaceWithVoid());
  }

  private static ChannelLocations.Eligibility without(
      ChannelLocations.Eligibility eligibility, Set<String> excluded) {
    return excluded.isEmpty()
        ? eligibility
        : new ChannelLocations.Eligibility(
            eligibility.rankedLocations().stream().filter(l -> !excluded.contains(l)).toList(),
            eligibility.allowSplit());
  }

  /** Allocates the oldest orders waiting for a SKU while units are free for them. */
  public Uni<Void> serveBackorders(UnitOfWork unit, String sku, String cause) {
    return orders
        .backordered(unit.sql(), sku, 100)
        .chain(
            ids -> {
              Uni<Boolean> chain = Uni.createFrom().item(true);
              for (UUID id : ids) {
                // oldest first: stop at the first order nothing more could be found for
                chain =
                    chain.chain(
                        going ->
                            going
                                ? allocate(unit, id, cause).map(units -> units > 0)
                                : Uni.createFrom().item(false));
              }
              return chain.replaceWithVoid();
            });
  }
}
