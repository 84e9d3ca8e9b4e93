package dev.onhand.returns.authorization;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class ReturnRepository {

  /** Units shipped per SKU for an order, locked so two authorisations cannot both take the last. */
  public record Shipped(
      UUID orderId, String channel, String channelOrderId, Map<String, Long> bySku) {}

  public Uni<Shipped> lockShipped(
      SqlClient sql, UUID orderId, String channel, String channelOrderId) {
    return sql.preparedQuery(
            "SELECT * FROM shipped_line WHERE ($1::uuid IS NOT NULL AND order_id = $1) OR ($1::uuid"
                + " IS NULL AND channel = $2 AND channel_order_id = $3) ORDER BY sku FOR UPDATE")
        .execute(Tuple.of(orderId, channel, channelOrderId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Map<String, Long> bySku = new HashMap<>();
              Row first = null;
              for (Row row : rows) {
                first = first == null ? row : first;
                bySku.put(row.getString("sku"), row.getLong("quantity"));
              }
              return new Shipped(
                  first.getUUID("order_id"),
                  first.getString("channel"),
                  first.getString("channel_order_id"),
                  bySku);
            });
  }

  /**
   * Units of the order already taken by other returns: what they authorised, or received if more.
   */
  public Uni<Map<String, Long>> alreadyReturnable(SqlClient sql, UUID orderId) {
    return sql.preparedQuery(
            "SELECT l.sku, sum(CASE WHEN r.status = 'CLOSED' THEN l.received ELSE"
                + " greatest(l.authorized, l.received) END) AS taken FROM customer_return r JOIN"
                + " return_line l ON l.return_id = r.id WHERE r.order_id = $1 GROUP BY l.sku")
        .execute(Tuple.of(orderId))
        .map(
            rows -> {
              Map<String, Long> taken = new HashMap<>();
              rows.forEach(row -> taken.put(row.getString("sku"), row.getLong("taken")));
              return taken;
            });
  }

  public Uni<Void> addShipped(
      SqlClient sql,
      UUID orderId,
      String channel,
      String channelOrderId,
      String sku,
      long quantity) {
    return sql.preparedQuery(
            "INSERT INTO shipped_line (order_id, channel, channel_order_id, sku, quantity) VALUES"
                + " ($1, $2, $3, $4, $5) ON CONFLICT (order_id, sku) DO UPDATE SET quantity ="
                + " shipped_line.quantity + excluded.quantity")
        .execute(Tuple.of(orderId, channel, channelOrderId, sku, quantity))
        .replaceWithVoid();
  }

  public Uni<Void> insert(
      SqlClient sql,
      UUID id,
      boolean authorized,
      UUID orderId,
      String channel,
      String channelOrderId,
      ReturnStatus status,
      OffsetDateTime expiresAt) {
    return sql.preparedQuery(
            "INSERT INTO customer_return (id, authorized, order_id, channel, channel_order_id,"
                + " status, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .execute(
            Tuple.tuple()
                .addUUID(id)
                .addBoolean(authorized)
                .addUUID(orderId)
                .addString(channel)
                .addString(channelOrderId)
                .addString(status.name())
                .addOffsetDateTime(expiresAt))
        .replaceWithVoid();
  }

  /** Adds a line, or more authorised units to one (0 for a SKU that came unannounced). */
  public Uni<Void> addLine(SqlClient sql, UUID id, String sku, long authorized, String reason) {
    return sql.preparedQuery(
            "INSERT INTO return_line (return_id, line_number, sku, authorized, reason) VALUES ($1,"
                + " (SELECT coalesce(max(line_number), 0) + 1 FROM return_line WHERE return_id ="
                + " $1), $2, $3, $4) ON CONFLICT (return_id, sku) DO NOTHING")
        .execute(Tuple.of(id, sku, authorized, reason))
        .replaceWithVoid();
  }

  public record Header(UUID id, ReturnStatus status, boolean authorized) {}

  public Uni<Header> lock(SqlClient sql, UUID id) {
    return sql.preparedQuery(
            "SELECT id, status, authorized FROM customer_return WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0
                    ? null
                    : new Header(
                        id,
                        ReturnStatus.valueOf(rows.iterator().next().getString("status")),
                        rows.iterator().next().getBoolean("authorized")));
  }

  public Uni<List<CustomerReturn.Line>> lines(SqlClient sql, UUID id) {
    return sql.preparedQuery("SELECT * FROM return_line WHERE return_id = $1 ORDER BY line_number")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              List<CustomerReturn.Line> lines = new ArrayList<>();
              rows.forEach(
                  r ->
                      lines.add(
                          new CustomerReturn.Line(
                              r.getString("sku"),
                              r.getLong("authorized"),
                              r.getString("reason"),
                              r.getLong("received"))));
              return lines;
            });
  }

  public Uni<Void> received(SqlClient sql, UUID id, String sku, long quantity) {
    return sql.preparedQuery(
            "UPDATE return_line SET received = received + $3 WHERE return_id = $1 AND sku = $2")
        .execute(Tuple.of(id, sku, quantity))
        .replaceWithVoid();
  }

  public Uni<Void> status(SqlClient sql, UUID id, ReturnStatus status, String closedReason) {
    return sql.preparedQuery(
            "UPDATE customer_return SET status = $2, closed_reason = coalesce($3, closed_reason),"
                + " updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, status.name(), closedReason))
        .replaceWithVoid();
  }

  public Uni<Void> insertReceipt(
      SqlClient sql, UUID receiptId, UUID id, String location, List<Requests.ReceiptLine> lines) {
    List<Tuple> rows = new ArrayList<>();
    lines.forEach(l -> rows.add(Tuple.of(receiptId, l.sku(), l.condition().name(), l.quantity())));
    return sql.preparedQuery(
            "INSERT INTO return_receipt (id, return_id, location) VALUES ($1, $2, $3)")
        .execute(Tuple.of(receiptId, id, location))
        .chain(
            () ->
                sql.preparedQuery(
                        "INSERT INTO return_receipt_line (receipt_id, sku, condition, quantity)"
                            + " VALUES ($1, $2, $3, $4)")
                    .executeBatch(rows))
        .replaceWithVoid();
  }

  /** Changes the units awaiting inspection; false when fewer than {@code -delta} are there. */
  public Uni<Boolean> awaiting(SqlClient sql, UUID id, String location, String sku, long delta) {
    if (delta >= 0) {
      return sql.preparedQuery(
              "INSERT INTO awaiting_inspection (return_id, location, sku, quantity) VALUES ($1, $2,"
                  + " $3, $4) ON CONFLICT (return_id, location, sku) DO UPDATE SET quantity ="
                  + " awaiting_inspection.quantity + excluded.quantity")
          .execute(Tuple.of(id, location, sku, delta))
          .replaceWith(true);
    }
    return sql.preparedQuery(
            "UPDATE awaiting_inspection SET quantity = quantity - $4 WHERE return_id = $1 AND"
                + " location = $2 AND sku = $3 AND quantity >= $4")
        .execute(Tuple.of(id, location, sku, -delta))
        .map(rows -> rows.rowCount() == 1);
  }

  public Uni<Void> insertInspection(
      SqlClient sql,
      UUID inspectionId,
      UUID id,
      String location,
      List<Requests.InspectionLine> lines) {
    List<Tuple> rows = new ArrayList<>();
    lines.forEach(l -> rows.add(Tuple.of(inspectionId, l.sku(), l.outcome().name(), l.quantity())));
    return sql.preparedQuery("INSERT INTO inspection (id, return_id, location) VALUES ($1, $2, $3)")
        .execute(Tuple.of(inspectionId, id, location))
        .chain(
            () ->
                sql.preparedQuery(
                        "INSERT INTO inspection_line (inspection_id, sku, outcome, quantity) VALUES"
                            + " ($1, $2, $3, $4)")
                    .executeBatch(rows))
        .replaceWithVoid();
  }

  public Uni<Void> insertException(
      SqlClient sql,
      UUID exceptionId,
      UUID id,
      String kind,
      String sku,
      long expected,
      long actual) {
    return sql.preparedQuery(
            "INSERT INTO return_exception (id, return_id, kind, sku, expected, actual) VALUES ($1,"
                + " $2, $3, $4, $5, $6)")
        .execute(Tuple.of(exceptionId, id, kind, sku, expected, actual))
        .replaceWithVoid();
  }

  /** Closes authorisations that lapsed before anything arrived. */
  public Uni<Integer> expire(SqlClient sql) {
    return sql.preparedQuery(
            "UPDATE customer_return SET status = 'CLOSED', closed_reason = 'expired', updated_at ="
                + " now() WHERE status = 'AUTHORIZED' AND expires_at < now()")
        .execute()
        .map(rows -> rows.rowCount());
  }

  /** Units returned (received, not missing) and shipped of a SKU. */
  public Uni<long[]> rate(SqlClient sql, String sku) {
    return sql.preparedQuery(
            "SELECT (SELECT coalesce(sum(quantity), 0) FROM shipped_line WHERE sku = $1) AS shipped,"
                + " (SELECT coalesce(sum(quantity), 0) FROM return_receipt_line WHERE sku = $1 AND"
                + " condition <> 'MISSING') AS returned")
        .execute(Tuple.of(sku))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new long[] {row.getLong("shipped"), row.getLong("returned")};
            });
  }

  public Uni<CustomerReturn> find(SqlClient sql, UUID id) {
    return sql.preparedQuery("SELECT * FROM customer_return WHERE id = $1")
        .execute(Tuple.of(id))
        .chain(
            rows -> {
              if (rows.size() == 0) {
                return Uni.createFrom().nullItem();
              }
              Row r = rows.iterator().next();
              Uni<List<CustomerReturn.Awaiting>> awaiting =
                  sql.preparedQuery(
                          "SELECT * FROM awaiting_inspection WHERE return_id = $1 AND quantity > 0"
                              + " ORDER BY location, sku")
                      .execute(Tuple.of(id))
                      .map(
                          all -> {
                            List<CustomerReturn.Awaiting> list = new ArrayList<>();
                            all.forEach(
                                a ->
                                    list.add(
                                        new CustomerReturn.Awaiting(
                                            a.getString("location"),
                                            a.getString("sku"),
                                            a.getLong("quantity"))));
                            return list;
                          });
              Uni<List<CustomerReturn.Exception>> exceptions =
                  sql.preparedQuery(
                          "SELECT * FROM return_exception WHERE return_id = $1 ORDER BY raised_at")
                      .execute(Tuple.of(id))
                      .map(
                          all -> {
                            List<CustomerReturn.Exception> list = new ArrayList<>();
                            all.forEach(
                                e ->
                                    list.add(
                                        new CustomerReturn.Exception(
                                            e.getUUID("id"),
                                            e.getString("kind"),
                                            e.getString("sku"),
                                            e.getLong("expected"),
                                            e.getLong("actual"),
                                            e.getOffsetDateTime("raised_at"))));
                            return list;
                          });
              return Uni.combine()
                  .all()
                  .unis(lines(sql, id), awaiting, exceptions)
                  .with(
                      (lines, waiting, raised) ->
                          new CustomerReturn(
                              id,
                              r.getBoolean("authorized"),
                              r.getUUID("order_id"),
                              r.getString("channel"),
                              r.getString("channel_order_id"),
                              ReturnStatus.valueOf(r.getString("status")),
                              r.getOffsetDateTime("expires_at"),
                              r.getString("closed_reason"),
                              lines,
                              waiting,
                              raised,
                              r.getOffsetDateTime("created_at")));
            });
  }
}
