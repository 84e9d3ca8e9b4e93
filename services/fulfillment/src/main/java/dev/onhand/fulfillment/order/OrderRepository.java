package dev.onhand.fulfillment.order;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.fulfillment.stockview.Availability;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class OrderRepository {
  private final ObjectMapper mapper;

  public OrderRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public record Header(
      UUID id,
      String channel,
      String channelOrderId,
      OrderStatus status,
      OffsetDateTime createdAt) {}

  /** An allocation and its lines, as stored. */
  public record StoredAllocation(
      UUID id,
      UUID orderId,
      String location,
      String status,
      UUID reservationId,
      boolean firstRound,
      List<Order.AllocationLine> lines) {}

  /** Inserts the order and its lines; null when (channel, channel order id) exists: its id then. */
  public Uni<UUID> insert(SqlClient sql, UUID id, OrderRequest request) {
    return sql.preparedQuery(
            "INSERT INTO customer_order (id, channel, channel_order_id, status, ship_to) VALUES"
                + " ($1, $2, $3, 'RECEIVED', $4) ON CONFLICT (channel, channel_order_id) DO NOTHING")
        .execute(
            Tuple.of(
                id,
                request.channel(),
                request.channelOrderId(),
                request.shipTo() == null ? null : request.shipTo().toString()))
        .chain(
            inserted -> {
              if (inserted.rowCount() == 0) {
                return sql.preparedQuery(
                        "SELECT id FROM customer_order WHERE channel = $1 AND channel_order_id = $2")
                    .execute(Tuple.of(request.channel(), request.channelOrderId()))
                    .map(rows -> rows.iterator().next().getUUID("id"));
              }
              List<Tuple> lines = new ArrayList<>();
              for (int i = 0; i < request.lines().size(); i++) {
                OrderRequest.Line l = request.lines().get(i);
                lines.add(Tuple.of(id, i + 1, l.sku(), l.quantity()));
              }
              return sql.preparedQuery(
                      "INSERT INTO order_line (order_id, line_number, sku, quantity) VALUES ($1,"
                          + " $2, $3, $4)")
                  .executeBatch(lines)
                  .chain(() -> transition(sql, id, OrderStatus.RECEIVED, "placed"))
                  .replaceWith((UUID) null);
            });
  }

  /** The id of the order a channel sent under its own id, or null. */
  public Uni<UUID> findByChannel(SqlClient sql, String channel, String channelOrderId) {
    return sql.preparedQuery(
            "SELECT id FROM customer_order WHERE channel = $1 AND channel_order_id = $2")
        .execute(Tuple.of(channel, channelOrderId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("id"));
  }

  /** Remembers a channel's cancellation of an order not placed yet. */
  public Uni<Void> rememberEarlyCancellation(
      SqlClient sql, String channel, String channelOrderId, String reason) {
    return sql.preparedQuery(
            "INSERT INTO early_cancellation (channel, channel_order_id, reason) VALUES ($1, $2, $3)"
                + " ON CONFLICT DO NOTHING")
        .execute(Tuple.of(channel, channelOrderId, reason))
        .replaceWithVoid();
  }

  /** Takes the early cancellation of an order, if one arrived: its reason, or "" without one. */
  public Uni<String> takeEarlyCancellation(SqlClient sql, String channel, String channelOrderId) {
    return sql.preparedQuery(
            "DELETE FROM early_cancellation WHERE channel = $1 AND channel_order_id = $2"
                + " RETURNING coalesce(reason, '') AS reason")
        .execute(Tuple.of(channel, channelOrderId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("reason"));
  }

  /** Marks (or, with null, clears) a cancellation waiting for stock's answers. */
  public Uni<Void> requestCancel(SqlClient sql, UUID orderId, String reason) {
    return sql.preparedQuery("UPDATE customer_order SET cancel_requested = $2 WHERE id = $1")
        .execute(Tuple.of(orderId, reason))
        .replaceWithVoid();
  }

  public Uni<String> cancelRequested(SqlClient sql, UUID orderId) {
    return sql.preparedQuery("SELECT cancel_requested FROM customer_order WHERE id = $1")
        .execute(Tuple.of(orderId))
        .map(
            rows -> rows.size() == 0 ? null : rows.iterator().next().getString("cancel_requested"));
  }

  /** The order's header, locked until the transaction ends; null when there is none. */
  public Uni<Header> lock(SqlClient sql, UUID id) {
    return sql.preparedQuery(
            "SELECT id, channel, channel_order_id, status, created_at FROM customer_order WHERE id ="
                + " $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              return new Header(
                  row.getUUID("id"),
                  row.getString("channel"),
                  row.getString("channel_order_id"),
                  OrderStatus.valueOf(row.getString("status")),
                  row.getOffsetDateTime("created_at"));
            });
  }

  public Uni<List<Order.Line>> lines(SqlClient sql, UUID id) {
    return sql.preparedQuery("SELECT * FROM order_line WHERE order_id = $1 ORDER BY line_number")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              List<Order.Line> lines = new ArrayList<>();
              rows.forEach(
                  row ->
                      lines.add(
                          new Order.Line(
                              row.getString("sku"),
                              row.getLong("quantity"),
                              row.getLong("pending"),
                              row.getLong("allocated"),
                              row.getLong("shipped"),
                              row.getLong("cancelled"),
                              row.getBoolean("filled_at_first_allocation"))));
              return lines;
            });
  }

  /** Moves units of a line between its states; the table's checks refuse an impossible move. */
  public Uni<Void> moveUnits(
      SqlClient sql,
      UUID orderId,
      String sku,
      long pending,
      long allocated,
      long shipped,
      long cancelled) {
    return sql.preparedQuery(
            "UPDATE order_line SET pending = pending + $3, allocated = allocated + $4, shipped ="
                + " shipped + $5, cancelled = cancelled + $6 WHERE order_id = $1 AND sku = $2")
        .execute(Tuple.of(orderId, sku, pending, allocated, shipped, cancelled))
        .replaceWithVoid();
  }

  /** Sets the fill-rate datum of lines that have none yet. */
  public Uni<Void> firstAllocation(SqlClient sql, UUID orderId, String sku, boolean filled) {
    return sql.preparedQuery(
            "UPDATE order_line SET filled_at_first_allocation = $3 WHERE order_id = $1 AND sku ="
                + " $2 AND filled_at_first_allocation IS NULL")
        .execute(Tuple.of(orderId, sku, filled))
        .replaceWithVoid();
  }

  /** A first-round reservation stock refused: the line was not filled from stock at once. */
  public Uni<Void> notFilledAtFirst(SqlClient sql, UUID orderId, String sku) {
    return sql.preparedQuery(
            "UPDATE order_line SET filled_at_first_allocation = false WHERE order_id = $1 AND sku ="
                + " $2")
        .execute(Tuple.of(orderId, sku))
        .replaceWithVoid();
  }

  /** The order an announcement of its first-allocation outcome was claimed for. */
  public record FirstAllocationClaim(
      String channel, String channelOrderId, OffsetDateTime allocatedAt) {}

  /**
   * An order line's first-allocation outcome; {@code location} is where the first allocation asked
   * for it (for a split line the location asked for most units, the first by code on a tie), null
   * when it asked nowhere.
   */
  public record FirstAllocationLine(String sku, long quantity, String location, boolean filled) {}

  /**
   * Claims the announcement of the order's first-allocation outcome if it is decided and not yet
   * announced: every line has its datum, and no line counted as filled still waits for a
   * first-round reservation (a split line whose other part stock may yet refuse). Null otherwise,
   * so of the transactions that could decide it exactly one gets the claim.
   */
  public Uni<FirstAllocationClaim> claimFirstAllocationAnnouncement(SqlClient sql, UUID orderId) {
    return sql.preparedQuery(
            "UPDATE customer_order o SET first_allocation_announced_at = now() WHERE o.id = $1 AND"
                + " o.first_allocation_announced_at IS NULL AND NOT EXISTS (SELECT 1 FROM"
                + " order_line l WHERE l.order_id = o.id AND (l.filled_at_first_allocation IS NULL"
                + " OR (l.filled_at_first_allocation AND EXISTS (SELECT 1 FROM allocation a JOIN"
                + " allocation_line al ON al.allocation_id = a.id WHERE a.order_id = o.id AND"
                + " a.first_round AND a.status = 'REQUESTED' AND al.sku = l.sku)))) RETURNING"
                + " o.channel, o.channel_order_id, o.first_allocation_announced_at")
        .execute(Tuple.of(orderId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              return new FirstAllocationClaim(
                  row.getString("channel"),
                  row.getString("channel_order_id"),
                  row.getOffsetDateTime("first_allocation_announced_at"));
            });
  }

  /** Every line of the order with its first-allocation outcome, in order. */
  public Uni<List<FirstAllocationLine>> firstAllocationLines(SqlClient sql, UUID orderId) {
    return sql.preparedQuery(
            "SELECT l.sku, l.quantity, l.filled_at_first_allocation AS filled, (SELECT a.location"
                + " FROM allocation a JOIN allocation_line al ON al.allocation_id = a.id WHERE"
                + " a.order_id = l.order_id AND a.first_round AND al.sku = l.sku ORDER BY"
                + " al.quantity DESC, a.location LIMIT 1) AS location FROM order_line l WHERE"
                + " l.order_id = $1 ORDER BY l.line_number")
        .execute(Tuple.of(orderId))
        .map(
            rows -> {
              List<FirstAllocationLine> lines = new ArrayList<>();
              rows.forEach(
                  row ->
                      lines.add(
                          new FirstAllocationLine(
                              row.getString("sku"),
                              row.getLong("quantity"),
                              row.getString("location"),
                              row.getBoolean("filled"))));
              return lines;
            });
  }

  public Uni<Boolean> hasAllocations(SqlClient sql, UUID orderId) {
    return sql.preparedQuery("SELECT 1 FROM allocation WHERE order_id = $1 LIMIT 1")
        .execute(Tuple.of(orderId))
        .map(rows -> rows.size() > 0);
  }

  public Uni<Void> insertAllocation(
      SqlClient sql,
      UUID id,
      UUID orderId,
      String location,
      boolean firstRound,
      Map<String, Long> units,
      boolean countRequested) {
    List<Tuple> lines = new ArrayList<>();
    List<Availability.Claim> requested = new ArrayList<>();
    units.forEach(
        (sku, quantity) -> {
          lines.add(Tuple.of(id, sku, quantity));
          requested.add(new Availability.Claim(sku, location, quantity));
        });
    return sql.preparedQuery(
            "INSERT INTO allocation (id, order_id, location, status, first_round) VALUES ($1, $2,"
                + " $3, 'REQUESTED', $4)")
        .execute(Tuple.of(id, orderId, location, firstRound))
        .chain(
            () ->
                sql.preparedQuery(
                        "INSERT INTO allocation_line (allocation_id, sku, quantity) VALUES ($1,"
                            + " $2, $3)")
                    .executeBatch(lines))
        .chain(
            () ->
                countRequested
                    ? Availability.changeRequested(sql, requested)
                    : Uni.createFrom().voidItem())
        .replaceWithVoid();
  }

  /** An allocation, locked; null when there is none. */
  public Uni<StoredAllocation> lockAllocation(SqlClient sql, UUID id) {
    return sql.preparedQuery("SELECT * FROM allocation WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .chain(
            rows -> {
              if (rows.size() == 0) {
                return Uni.createFrom().nullItem();
              }
              Row row = rows.iterator().next();
              return allocationLines(sql, id)
                  .map(
                      lines ->
                          new StoredAllocation(
                              id,
                              row.getUUID("order_id"),
                              row.getString("location"),
                              row.getString("status"),
                              row.getUUID("reservation_id"),
                              row.getBoolean("first_round"),
                              lines));
            });
  }

  private Uni<List<Order.AllocationLine>> allocationLines(SqlClient sql, UUID id) {
    return sql.preparedQuery("SELECT * FROM allocation_line WHERE allocation_id = $1 ORDER BY sku")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              List<Order.AllocationLine> lines = new ArrayList<>();
              rows.forEach(
                  r ->
                      lines.add(
                          new Order.AllocationLine(
                              r.getString("sku"),
                              r.getLong("quantity"),
                              r.getLong("shipped"),
                              r.getLong("released"))));
              return lines;
            });
  }

  /**
   * Stock answered an allocation (locked by the caller): its units leave {@code
   * availability.requested} as it leaves REQUESTED.
   */
  public Uni<Void> settleAllocation(
      SqlClient sql, StoredAllocation allocation, String status, UUID reservationId) {
    Uni<Void> settled =
        sql.preparedQuery(
                "UPDATE allocation SET status = $2, reservation_id = coalesce($3, reservation_id),"
                    + " updated_at = now() WHERE id = $1")
            .execute(Tuple.of(allocation.id(), status, reservationId))
            .replaceWithVoid();
    if (!allocation.status().equals("REQUESTED") || status.equals("REQUESTED")) {
      return settled;
    }
    List<Availability.Claim> answered = new ArrayList<>();
    allocation
        .lines()
        .forEach(
            l ->
                answered.add(
                    new Availability.Claim(l.sku(), allocation.location(), -l.quantity())));
    return settled.chain(() -> Availability.changeRequested(sql, answered));
  }

  /** Confirmed allocations of the order with units still open, oldest first. */
  public Uni<List<StoredAllocation>> openAllocations(SqlClient sql, UUID orderId) {
    return sql.preparedQuery(
            "SELECT * FROM allocation WHERE order_id = $1 AND status = 'CONFIRMED' ORDER BY"
                + " created_at, id FOR UPDATE")
        .execute(Tuple.of(orderId))
        .chain(
            rows -> {
              List<Uni<StoredAllocation>> all = new ArrayList<>();
              rows.forEach(
                  row -> {
                    UUID id = row.getUUID("id");
                    all.add(
                        allocationLines(sql, id)
                            .map(
                                lines ->
                                    new StoredAllocation(
                                        id,
                                        orderId,
                                        row.getString("location"),
                                        row.getString("status"),
                                        row.getUUID("reservation_id"),
                                        row.getBoolean("first_round"),
                                        lines)));
                  });
              return all.isEmpty()
                  ? Uni.createFrom().item(List.<StoredAllocation>of())
                  : Uni.join().all(all).andFailFast();
            });
  }

  public Uni<Void> allocationUnitsLeft(
      SqlClient sql, UUID allocationId, String sku, long shipped, long released) {
    return sql.preparedQuery(
            "UPDATE allocation_line SET shipped = shipped + $3, released = released + $4 WHERE"
                + " allocation_id = $1 AND sku = $2")
        .execute(Tuple.of(allocationId, sku, shipped, released))
        .replaceWithVoid();
  }

  public Uni<Void> insertShipment(SqlClient sql, UUID id, UUID orderId, ShipmentRequest request) {
    List<Tuple> lines = new ArrayList<>();
    request.lines().forEach(l -> lines.add(Tuple.of(id, l.sku(), l.quantity())));
    return sql.preparedQuery(
            "INSERT INTO shipment (id, order_id, location, carrier, tracking_number) VALUES ($1,"
                + " $2, $3, $4, $5)")
        .execute(
            Tuple.of(id, orderId, request.location(), request.carrier(), request.trackingNumber()))
        .chain(
            () ->
                sql.preparedQuery(
                        "INSERT INTO shipment_line (shipment_id, sku, quantity) VALUES ($1, $2,"
                            + " $3)")
                    .executeBatch(lines))
        .replaceWithVoid();
  }

  /** Stores the status the lines now imply, recording the transition when it changed. */
  public Uni<OrderStatus> restate(SqlClient sql, UUID orderId, OrderStatus before, String cause) {
    return lines(sql, orderId)
        .chain(
            lines -> {
              OrderStatus now = OrderStatus.of(lines);
              if (now == before) {
                return Uni.createFrom().item(now);
              }
              return sql.preparedQuery(
                      "UPDATE customer_order SET status = $2, updated_at = now() WHERE id = $1")
                  .execute(Tuple.of(orderId, now.name()))
                  .chain(() -> transition(sql, orderId, now, cause))
                  .replaceWith(now);
            });
  }

  private Uni<Void> transition(SqlClient sql, UUID orderId, OrderStatus status, String cause) {
    return sql.preparedQuery(
            "INSERT INTO order_transition (order_id, status, cause) VALUES ($1, $2, $3)")
        .execute(Tuple.of(orderId, status.name(), cause))
        .replaceWithVoid();
  }

  /** Open orders waiting for units of a SKU, oldest first. */
  public Uni<List<UUID>> backordered(SqlClient sql, String sku, int limit) {
    return sql.preparedQuery(
            "SELECT o.id FROM customer_order o JOIN order_line l ON l.order_id = o.id WHERE l.sku ="
                + " $1 AND l.quantity - l.pending - l.allocated - l.shipped - l.cancelled > 0 AND"
                + " o.status IN ('BACKORDERED', 'PARTIALLY_ALLOCATED', 'PARTIALLY_SHIPPED')"
                + " ORDER BY o.created_at, o.id LIMIT $2")
        .execute(Tuple.of(sku, limit))
        .map(
            rows -> {
              List<UUID> ids = new ArrayList<>();
              rows.forEach(row -> ids.add(row.getUUID("id")));
              return ids;
            });
  }

  /** The whole order as the API shows it, or null. */
  public Uni<Order> find(SqlClient sql, UUID id) {
    return sql.preparedQuery("SELECT * FROM customer_order WHERE id = $1")
        .execute(Tuple.of(id))
        .chain(
            rows -> {
              if (rows.size() == 0) {
                return Uni.createFrom().nullItem();
              }
              Row o = rows.iterator().next();
              Uni<List<Order.Allocation>> allocations =
                  sql.preparedQuery(
                          "SELECT a.id, a.location, a.status, a.reservation_id, d.status AS"
                              + " dispatch, l.sku, l.quantity, l.shipped, l.released FROM"
                              + " allocation a JOIN allocation_line l ON l.allocation_id = a.id"
                              + " LEFT JOIN third_party_dispatch d ON d.allocation_id = a.id"
                              + " WHERE a.order_id = $1 ORDER BY a.created_at, a.id, l.sku")
                      .execute(Tuple.of(id))
                      .map(
                          all -> {
                            Map<UUID, Order.Allocation> byId = new LinkedHashMap<>();
                            all.forEach(
                                r ->
                                    byId.computeIfAbsent(
                                            r.getUUID("id"),
                                            k ->
                                                new Order.Allocation(
                                                    k,
                                                    r.getString("location"),
                                                    r.getString("status"),
                                                    r.getUUID("reservation_id"),
                                                    r.getString("dispatch"),
                                                    new ArrayList<>()))
                                        .lines()
                                        .add(
                                            new Order.AllocationLine(
                                                r.getString("sku"),
                                                r.getLong("quantity"),
                                                r.getLong("shipped"),
                                                r.getLong("released"))));
                            return List.copyOf(byId.values());
                          });
              Uni<List<Order.Shipment>> shipments =
                  sql.preparedQuery(
                          "SELECT s.*, l.sku, l.quantity FROM shipment s JOIN shipment_line l ON"
                              + " l.shipment_id = s.id WHERE s.order_id = $1 ORDER BY s.created_at,"
                              + " s.id, l.sku")
                      .execute(Tuple.of(id))
                      .map(
                          all -> {
                            Map<UUID, Order.Shipment> byId = new LinkedHashMap<>();
                            all.forEach(
                                r ->
                                    byId.computeIfAbsent(
                                            r.getUUID("id"),
                                            k ->
                                                new Order.Shipment(
                                                    k,
                                                    r.getString("location"),
                                                    r.getString("carrier"),
                                                    r.getString("tracking_number"),
                                                    new ArrayList<>(),
                                                    r.getOffsetDateTime("created_at")))
                                        .lines()
                                        .add(
                                            new Order.ShipmentLine(
                                                r.getString("sku"), r.getLong("quantity"))));
                            return List.copyOf(byId.values());
                          });
              Uni<List<Order.Transition>> transitions =
                  sql.preparedQuery(
                          "SELECT * FROM order_transition WHERE order_id = $1 ORDER BY at")
                      .execute(Tuple.of(id))
                      .map(
                          all -> {
                            List<Order.Transition> list = new ArrayList<>();
                            all.forEach(
                                r ->
                                    list.add(
                                        new Order.Transition(
                                            r.getOffsetDateTime("at"),
                                            OrderStatus.valueOf(r.getString("status")),
                                            r.getString("cause"))));
                            return list;
                          });
              return Uni.combine()
                  .all()
                  .unis(lines(sql, id), allocations, shipments, transitions)
                  .with(
                      (lines, allocs, ships, trans) ->
                          new Order(
                              id,
                              o.getString("channel"),
                              o.getString("channel_order_id"),
                              OrderStatus.valueOf(o.getString("status")),
                              shipTo(o.getString("ship_to")),
                              lines,
                              allocs,
                              ships,
                              trans,
                              o.getOffsetDateTime("created_at")));
            });
  }

  private JsonNode shipTo(String json) {
    try {
      return json == null ? null : mapper.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException("stored ship-to is not JSON", e);
    }
  }
}
