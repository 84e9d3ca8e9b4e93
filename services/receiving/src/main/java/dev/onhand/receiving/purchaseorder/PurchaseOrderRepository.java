package dev.onhand.receiving.purchaseorder;

import dev.onhand.platform.api.Page;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class PurchaseOrderRepository {
  private final Pool pool;

  public PurchaseOrderRepository(Pool pool) {
    this.pool = pool;
  }

  /** The PO's own columns; its lines are read separately. */
  public record Header(
      UUID id,
      String number,
      String supplier,
      String location,
      LocalDate expectedDate,
      PurchaseOrderStatus status,
      BigDecimal tolerancePercent,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt,
      OffsetDateTime closedAt) {

    static Header fromRow(Row row) {
      return new Header(
          row.getUUID("id"),
          row.getString("number"),
          row.getString("supplier"),
          row.getString("location"),
          row.getLocalDate("expected_date"),
          PurchaseOrderStatus.valueOf(row.getString("status")),
          row.getBigDecimal("tolerance_percent").stripTrailingZeros(),
          row.getOffsetDateTime("created_at"),
          row.getOffsetDateTime("updated_at"),
          row.getOffsetDateTime("closed_at"));
    }

    PurchaseOrder.Summary summary() {
      return new PurchaseOrder.Summary(
          id, number, supplier, location, expectedDate, status, createdAt);
    }
  }

  /** Inserts a PO and its lines; false when its number is taken. */
  public Uni<Boolean> insert(
      SqlClient sql, UUID id, PurchaseOrderRequest request, BigDecimal tolerance, String actor) {
    return sql.preparedQuery(
            "INSERT INTO purchase_order (id, number, supplier, location, expected_date, status,"
                + " tolerance_percent, created_by) VALUES ($1, $2, $3, $4, $5, 'OPEN', $6, $7)"
                + " ON CONFLICT (number) DO NOTHING")
        .execute(
            Tuple.tuple()
                .addUUID(id)
                .addString(request.number())
                .addString(request.supplier())
                .addString(request.location())
                .addLocalDate(request.expectedDate())
                .addBigDecimal(tolerance)
                .addString(actor))
        .chain(
            inserted -> {
              if (inserted.rowCount() == 0) {
                return Uni.createFrom().item(false);
              }
              List<Tuple> lines = new ArrayList<>();
              for (int i = 0; i < request.lines().size(); i++) {
                PurchaseOrderRequest.Line line = request.lines().get(i);
                lines.add(Tuple.of(id, i + 1, line.sku(), line.quantity()));
              }
              return sql.preparedQuery(
                      "INSERT INTO purchase_order_line (purchase_order_id, line_number, sku,"
                          + " ordered) VALUES ($1, $2, $3, $4)")
                  .executeBatch(lines)
                  .replaceWith(true);
            });
  }

  /** The header, locked until the transaction ends so receipts and closes of one PO queue up. */
  public Uni<Header> lock(SqlClient sql, UUID id) {
    return sql.preparedQuery("SELECT * FROM purchase_order WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : Header.fromRow(rows.iterator().next()));
  }

  public Uni<List<PurchaseOrder.Line>> lines(SqlClient sql, UUID id) {
    return sql.preparedQuery(
            "SELECT * FROM purchase_order_line WHERE purchase_order_id = $1 ORDER BY line_number")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              List<PurchaseOrder.Line> lines = new ArrayList<>();
              rows.forEach(
                  row ->
                      lines.add(
                          new PurchaseOrder.Line(
                              row.getString("sku"),
                              row.getLong("ordered"),
                              row.getLong("received_good"),
                              row.getLong("received_damaged"))));
              return lines;
            });
  }

  public Uni<Void> insertReceipt(
      SqlClient sql,
      UUID receiptId,
      UUID orderId,
      OffsetDateTime receivedAt,
      String note,
      String actor,
      List<DeliveryCheck.Arrival> arrivals) {
    List<Tuple> lines = new ArrayList<>();
    List<Tuple> received = new ArrayList<>();
    for (int i = 0; i < arrivals.size(); i++) {
      DeliveryCheck.Arrival a = arrivals.get(i);
      lines.add(
          Tuple.of(receiptId, i + 1, a.sku(), a.good(), a.damaged(), a.ordered())
              .addLong(a.incomingReleased()));
      if (a.ordered()) {
        received.add(Tuple.of(orderId, a.sku(), a.good(), a.damaged()));
      }
    }
    Uni<Void> header =
        sql.preparedQuery(
                "INSERT INTO receipt (id, purchase_order_id, received_at, note, received_by)"
                    + " VALUES ($1, $2, $3, $4, $5)")
            .execute(Tuple.of(receiptId, orderId, receivedAt, note, actor))
            .replaceWithVoid();
    return header
        .chain(
            () ->
                sql.preparedQuery(
                        "INSERT INTO receipt_line (receipt_id, line_number, sku, good, damaged,"
                            + " ordered, incoming_released) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .executeBatch(lines))
        .chain(
            () ->
                received.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : sql.preparedQuery(
                            "UPDATE purchase_order_line SET received_good = received_good + $3,"
                                + " received_damaged = received_damaged + $4"
                                + " WHERE purchase_order_id = $1 AND sku = $2")
                        .executeBatch(received)
                        .replaceWithVoid());
  }

  public Uni<Void> insertShipNotice(
      SqlClient sql, UUID noticeId, UUID orderId, ShipNoticeRequest notice) {
    List<Tuple> lines = new ArrayList<>();
    notice.lines().forEach(l -> lines.add(Tuple.of(noticeId, l.sku(), l.quantity())));
    return sql.preparedQuery(
            "INSERT INTO ship_notice (id, purchase_order_id, carrier, tracking_number,"
                + " expected_arrival) VALUES ($1, $2, $3, $4, $5)")
        .execute(
            Tuple.of(
                noticeId,
                orderId,
                notice.carrier(),
                notice.trackingNumber(),
                notice.expectedArrival()))
        .chain(
            () ->
                sql.preparedQuery(
                        "INSERT INTO ship_notice_line (ship_notice_id, sku, quantity) VALUES ($1,"
                            + " $2, $3)")
                    .executeBatch(lines))
        .replaceWithVoid();
  }

  public Uni<Void> insertException(
      SqlClient sql, UUID id, UUID orderId, DeliveryCheck.Finding finding, UUID receiptId) {
    return sql.preparedQuery(
            "INSERT INTO receiving_exception (id, purchase_order_id, kind, sku, expected, actual,"
                + " receipt_id) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .execute(
            Tuple.of(id, orderId, finding.kind(), finding.sku(), finding.expected())
                .addLong(finding.actual())
                .addUUID(receiptId))
        .replaceWithVoid();
  }

  public Uni<Void> updateStatus(SqlClient sql, UUID id, PurchaseOrderStatus status) {
    boolean closing = !status.acceptsReceipts();
    return sql.preparedQuery(
            "UPDATE purchase_order SET status = $2, updated_at = now(),"
                + " closed_at = CASE WHEN $3 THEN now() ELSE closed_at END WHERE id = $1")
        .execute(Tuple.of(id, status.name(), closing))
        .replaceWithVoid();
  }

  /** The whole PO as the API shows it, or null. */
  public Uni<PurchaseOrder> find(SqlClient sql, UUID id) {
    return sql.preparedQuery("SELECT * FROM purchase_order WHERE id = $1")
        .execute(Tuple.of(id))
        .chain(
            rows -> {
              if (rows.size() == 0) {
                return Uni.createFrom().nullItem();
              }
              Header header = Header.fromRow(rows.iterator().next());
              return Uni.combine()
                  .all()
                  .unis(
                      lines(sql, id), receipts(sql, id), shipNotices(sql, id), exceptions(sql, id))
                  .with(
                      (lines, receipts, notices, exceptions) ->
                          new PurchaseOrder(
                              header.id(),
                              header.number(),
                              header.supplier(),
                              header.location(),
                              header.expectedDate(),
                              header.status(),
                              header.tolerancePercent(),
                              lines,
                              receipts,
                              notices,
                              exceptions,
                              header.createdAt(),
                              header.updatedAt(),
                              header.closedAt()));
            });
  }

  public Uni<PurchaseOrder> find(UUID id) {
    return find(pool, id);
  }

  private Uni<List<PurchaseOrder.Receipt>> receipts(SqlClient sql, UUID id) {
    return sql.preparedQuery(
            "SELECT r.id, r.received_at, r.note, r.received_by, l.sku, l.good, l.damaged,"
                + " l.ordered FROM receipt r JOIN receipt_line l ON l.receipt_id = r.id"
                + " WHERE r.purchase_order_id = $1 ORDER BY r.created_at, r.id, l.line_number")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              Map<UUID, PurchaseOrder.Receipt> receipts = new LinkedHashMap<>();
              rows.forEach(
                  row ->
                      receipts
                          .computeIfAbsent(
                              row.getUUID("id"),
                              rid ->
                                  new PurchaseOrder.Receipt(
                                      rid,
                                      row.getOffsetDateTime("received_at"),
                                      row.getString("note"),
                                      row.getString("received_by"),
                                      new ArrayList<>()))
                          .lines()
                          .add(
                              new PurchaseOrder.ReceiptLine(
                                  row.getString("sku"),
                                  row.getLong("good"),
                                  row.getLong("damaged"),
                                  row.getBoolean("ordered"))));
              return List.copyOf(receipts.values());
            });
  }

  private Uni<List<PurchaseOrder.ShipNotice>> shipNotices(SqlClient sql, UUID id) {
    return sql.preparedQuery(
            "SELECT n.*, l.sku, l.quantity FROM ship_notice n JOIN ship_notice_line l ON"
                + " l.ship_notice_id = n.id WHERE n.purchase_order_id = $1"
                + " ORDER BY n.created_at, n.id, l.sku")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              Map<UUID, PurchaseOrder.ShipNotice> notices = new LinkedHashMap<>();
              rows.forEach(
                  row ->
                      notices
                          .computeIfAbsent(
                              row.getUUID("id"),
                              nid ->
                                  new PurchaseOrder.ShipNotice(
                                      nid,
                                      row.getString("carrier"),
                                      row.getString("tracking_number"),
                                      row.getOffsetDateTime("expected_arrival"),
                                      new ArrayList<>(),
                                      row.getOffsetDateTime("created_at")))
                          .lines()
                          .add(
                              new PurchaseOrder.ShipNoticeLine(
                                  row.getString("sku"), row.getLong("quantity"))));
              return List.copyOf(notices.values());
            });
  }

  private Uni<List<PurchaseOrder.Discrepancy>> exceptions(SqlClient sql, UUID id) {
    return sql.preparedQuery(
            "SELECT * FROM receiving_exception WHERE purchase_order_id = $1 ORDER BY raised_at,"
                + " id")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              List<PurchaseOrder.Discrepancy> list = new ArrayList<>();
              rows.forEach(
                  row ->
                      list.add(
                          new PurchaseOrder.Discrepancy(
                              row.getUUID("id"),
                              row.getString("kind"),
                              row.getString("sku"),
                              row.getLong("expected"),
                              row.getLong("actual"),
                              row.getUUID("receipt_id"),
                              row.getOffsetDateTime("raised_at"))));
              return list;
            });
  }

  /** Filters of {@code GET /purchase-orders}; null means any. */
  public record Filter(
      PurchaseOrderStatus status, String location, String supplier, LocalDate expectedBefore) {}

  /** POs by number, after the cursor's number. */
  public Uni<Page<PurchaseOrder.Summary>> list(Filter filter, String after, int limit) {
    return pool.preparedQuery(
            "SELECT * FROM purchase_order WHERE number > $1"
                + " AND ($2::text IS NULL OR status = $2)"
                + " AND ($3::text IS NULL OR location = $3)"
                + " AND ($4::text IS NULL OR supplier = $4)"
                + " AND ($5::date IS NULL OR expected_date < $5)"
                + " ORDER BY number LIMIT $6")
        .execute(
            Tuple.tuple()
                .addString(after == null ? "" : after)
                .addString(filter.status() == null ? null : filter.status().name())
                .addString(filter.location())
                .addString(filter.supplier())
                .addLocalDate(filter.expectedBefore())
                .addInteger(limit + 1))
        .map(
            rows -> {
              List<PurchaseOrder.Summary> items = new ArrayList<>();
              rows.forEach(row -> items.add(Header.fromRow(row).summary()));
              return Page.of(items, limit, s -> new String[] {s.number()});
            });
  }
}
