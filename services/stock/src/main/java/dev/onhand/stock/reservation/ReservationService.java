package dev.onhand.stock.reservation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.Transactions;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.ledger.BalanceKey;
import dev.onhand.stock.ledger.Bucket;
import dev.onhand.stock.ledger.Ledger;
import dev.onhand.stock.ledger.Movement;
import dev.onhand.stock.ledger.Reason;
import dev.onhand.stock.ledger.StockChange;
import dev.onhand.stock.messaging.StockEvents;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The life of a reservation after it is confirmed: read, extend, release (whole or partial), commit
 * on shipment, and expire. Each settles units on its lines and moves them out of committed in one
 * transaction with the reservation's new state and its event. The reservation row is locked first,
 * then its balances in key order, like every other writer.
 */
@ApplicationScoped
public class ReservationService {
  private static final Logger LOG = Logger.getLogger(ReservationService.class);
  private static final int EXPIRY_BATCH = 200;

  private final Pool pool;
  private final Transactions transactions;
  private final Ledger ledger;
  private final ObjectMapper mapper;

  public ReservationService(
      Pool pool, Transactions transactions, Ledger ledger, ObjectMapper mapper) {
    this.pool = pool;
    this.transactions = transactions;
    this.ledger = ledger;
    this.mapper = mapper;
  }

  /** How units leave a reservation's lines. */
  enum Settlement {
    SHIPPED(Reason.SHIPPED, ReservationStatus.FULFILLED),
    RELEASED(Reason.RESERVATION_RELEASE, ReservationStatus.RELEASED),
    /** Released units that could not be found (a short pick): they leave committed as lost. */
    LOST(Reason.LOST, ReservationStatus.RELEASED),
    EXPIRED(Reason.RESERVATION_EXPIRED, ReservationStatus.EXPIRED);

    final Reason reason;
    final ReservationStatus closedAs;

    Settlement(Reason reason, ReservationStatus closedAs) {
      this.reason = reason;
      this.closedAs = closedAs;
    }
  }

  public Uni<Reservation> find(UUID id) {
    return load(pool, List.of(id), false).map(found -> found.isEmpty() ? null : found.get(0));
  }

  public Uni<Reservation> extend(UnitOfWork unit, UUID id, long seconds) {
    return loadActive(unit, id)
        .chain(
            reservation ->
                unit.sql()
                    .preparedQuery(
                        "UPDATE reservation SET expires_at = now() + make_interval(secs => $2),"
                            + " updated_at = now() WHERE id = $1")
                    .execute(Tuple.of(id, (double) seconds)))
        .chain(() -> load(unit.sql(), List.of(id), false))
        .map(found -> found.get(0));
  }

  /**
   * Releases what is still open, or the given quantities, back to available. {@code lines} null
   * means everything.
   */
  public Uni<Reservation> release(
      UnitOfWork unit,
      UUID id,
      List<ReleaseRequest.Line> lines,
      String actor,
      String idempotencyKey,
      String cause) {
    return release(unit, id, lines, Disposition.AVAILABLE, actor, idempotencyKey, cause);
  }

  /**
   * Releases what is still open, or the given quantities: back to available, or, when {@code
   * disposition} is {@link Disposition#LOST}, out of committed as lost (units a pick could not
   * find). Either way they count as released on the reservation's lines.
   */
  public Uni<Reservation> release(
      UnitOfWork unit,
      UUID id,
      List<ReleaseRequest.Line> lines,
      Disposition disposition,
      String actor,
      String idempotencyKey,
      String cause) {
    Settlement settlement = disposition == Disposition.LOST ? Settlement.LOST : Settlement.RELEASED;
    return loadActive(unit, id)
        .chain(
            reservation -> {
              Map<Integer, Long> quantities =
                  lines == null ? everythingOpen(reservation) : matchLines(reservation, lines);
              return settle(
                  unit,
                  List.of(new Settling(reservation, quantities)),
                  settlement,
                  reservation.reference(),
                  actor,
                  idempotencyKey,
                  cause);
            })
        .map(settled -> settled.get(0));
  }

  /** Commits shipped units: they leave committed, and the reservation closes when all are gone. */
  public Uni<Reservation> ship(
      UnitOfWork unit, UUID id, List<ReleaseRequest.Line> lines, String reference, String actor) {
    return loadActive(unit, id)
        .chain(
            reservation ->
                settle(
                    unit,
                    List.of(new Settling(reservation, matchLines(reservation, lines))),
                    Settlement.SHIPPED,
                    reference == null ? reservation.reference() : reference,
                    actor,
                    null,
                    "shipment"))
        .map(settled -> settled.get(0));
  }

  /**
   * Releases reservations past their expiry, a batch per transaction, from any number of instances.
   */
  @Scheduled(
      every = "${onhand.stock.reservations.expiry-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> expireDue() {
    return expireBatch()
        .chain(count -> count == EXPIRY_BATCH ? expireDue() : Uni.createFrom().voidItem())
        .onFailure()
        .invoke(e -> LOG.warnf("Reservation expiry failed, will retry: %s", e.toString()))
        .onFailure()
        .recoverWithNull();
  }

  Uni<Integer> expireBatch() {
    return transactions.run(
        unit ->
            unit.sql()
                .preparedQuery(
                    "SELECT id FROM reservation WHERE status = 'ACTIVE' AND expires_at <= now()"
                        + " ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(EXPIRY_BATCH))
                .chain(
                    rows -> {
                      List<UUID> ids = new ArrayList<>();
                      rows.forEach(row -> ids.add(row.getUUID("id")));
                      if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                      }
                      return load(unit.sql(), ids, false)
                          .chain(
                              due ->
                                  settle(
                                      unit,
                                      due.stream()
                                          .map(r -> new Settling(r, everythingOpen(r)))
                                          .toList(),
                                      Settlement.EXPIRED,
                                      null,
                                      "system:expiry",
                                      null,
                                      "expired"))
                          .map(List::size);
                    }));
  }

  private record Settling(Reservation reservation, Map<Integer, Long> quantities) {}

  private Uni<List<Reservation>> settle(
      UnitOfWork unit,
      List<Settling> settlings,
      Settlement settlement,
      String reference,
      String actor,
      String idempotencyKey,
      String cause) {
    Set<BalanceKey> keys = new HashSet<>();
    settlings.forEach(s -> s.quantities().keySet().forEach(n -> keys.add(line(s, n).key())));
    return ledger
        .open(unit, keys, false)
        .chain(
            change -> {
              OffsetDateTime now = OffsetDateTime.now();
              List<Reservation> settled = new ArrayList<>();
              List<UUID> ids = new ArrayList<>();
              List<Integer> lineNos = new ArrayList<>();
              List<Long> shipped = new ArrayList<>();
              List<Long> released = new ArrayList<>();
              List<String> statuses = new ArrayList<>();
              for (Settling s : settlings) {
                Reservation r = s.reservation();
                Movement movement =
                    new Movement(
                        UUID.randomUUID(),
                        settlement.reason,
                        reference == null ? r.reference() : reference,
                        actor,
                        idempotencyKey,
                        now);
                List<Reservation.Line> lines = new ArrayList<>(r.lines());
                for (Map.Entry<Integer, Long> e : s.quantities().entrySet()) {
                  Reservation.Line old = lines.get(e.getKey());
                  long quantity = e.getValue();
                  apply(change, old.key(), settlement, quantity, movement);
                  Reservation.Line updated =
                      settlement == Settlement.SHIPPED
                          ? new Reservation.Line(
                              old.sku(),
                              old.location(),
                              old.quantity(),
                              old.shipped() + quantity,
                              old.released())
                          : new Reservation.Line(
                              old.sku(),
                              old.location(),
                              old.quantity(),
                              old.shipped(),
                              old.released() + quantity);
                  lines.set(e.getKey(), updated);
                  ids.add(r.id());
                  lineNos.add(e.getKey() + 1);
                  shipped.add(updated.shipped());
                  released.add(updated.released());
                }
                boolean closed = lines.stream().allMatch(l -> l.open() == 0);
                ReservationStatus status = closed ? settlement.closedAs : ReservationStatus.ACTIVE;
                statuses.add(status.name());
                Reservation after =
                    new Reservation(
                        r.id(), r.reference(), status, r.expiresAt(), r.createdAt(), now, lines);
                settled.add(after);
                publish(unit, settlement, after, s.quantities(), cause);
              }
              List<UUID> reservationIds = settled.stream().map(Reservation::id).toList();
              return unit.sql()
                  .preparedQuery(
                      "UPDATE reservation_line l SET shipped = v.shipped, released = v.released"
                          + " FROM unnest($1::uuid[], $2::int4[], $3::int8[], $4::int8[])"
                          + " AS v(id, line_no, shipped, released)"
                          + " WHERE l.reservation_id = v.id AND l.line_no = v.line_no")
                  .execute(
                      Tuple.tuple()
                          .addArrayOfUUID(ids.toArray(UUID[]::new))
                          .addArrayOfInteger(lineNos.toArray(Integer[]::new))
                          .addArrayOfLong(shipped.toArray(Long[]::new))
                          .addArrayOfLong(released.toArray(Long[]::new)))
                  .chain(
                      () ->
                          unit.sql()
                              .preparedQuery(
                                  "UPDATE reservation r SET status = v.status, updated_at = now()"
                                      + " FROM unnest($1::uuid[], $2::text[]) AS v(id, status)"
                                      + " WHERE r.id = v.id")
                              .execute(
                                  Tuple.tuple()
                                      .addArrayOfUUID(reservationIds.toArray(UUID[]::new))
                                      .addArrayOfString(statuses.toArray(String[]::new))))
                  .chain(() -> ledger.write(unit, change, null))
                  .replaceWith(settled);
            });
  }

  private static void apply(
      StockChange change, BalanceKey key, Settlement settlement, long quantity, Movement movement) {
    if (settlement == Settlement.SHIPPED || settlement == Settlement.LOST) {
      change.apply(key, Bucket.COMMITTED, -quantity, movement);
    } else {
      change.move(key, Bucket.COMMITTED, Bucket.AVAILABLE, quantity, movement);
    }
  }

  private void publish(
      UnitOfWork unit,
      Settlement settlement,
      Reservation reservation,
      Map<Integer, Long> quantities,
      String cause) {
    String type =
        switch (settlement) {
          case SHIPPED -> StockEvents.SHIPMENT_APPLIED;
          case RELEASED, LOST -> StockEvents.RESERVATION_RELEASED;
          case EXPIRED -> StockEvents.RESERVATION_EXPIRED;
        };
    ObjectNode data = mapper.createObjectNode();
    data.put("reservationId", reservation.id().toString());
    data.put("reference", reservation.reference());
    data.put("status", reservation.status().name());
    data.put("cause", cause);
    var lines = data.putArray("lines");
    quantities.forEach(
        (n, quantity) -> {
          Reservation.Line line = reservation.lines().get(n);
          lines
              .addObject()
              .put("sku", line.sku())
              .put("location", line.location())
              .put("quantity", quantity);
        });
    unit.publish(
        Envelope.create(type, StockEvents.SOURCE, reservation.id().toString(), null, null, data),
        "reservation:" + reservation.id());
  }

  private static Reservation.Line line(Settling settling, int index) {
    return settling.reservation().lines().get(index);
  }

  private static Map<Integer, Long> everythingOpen(Reservation reservation) {
    Map<Integer, Long> quantities = new LinkedHashMap<>();
    for (int i = 0; i < reservation.lines().size(); i++) {
      long open = reservation.lines().get(i).open();
      if (open > 0) {
        quantities.put(i, open);
      }
    }
    return quantities;
  }

  /**
   * Maps requested (sku, location, quantity) onto the reservation's lines, refusing what is not
   * open.
   */
  private static Map<Integer, Long> matchLines(
      Reservation reservation, List<ReleaseRequest.Line> requested) {
    Map<Integer, Long> quantities = new LinkedHashMap<>();
    List<Map<String, Object>> refused = new ArrayList<>();
    for (ReleaseRequest.Line want : requested) {
      int index = -1;
      for (int i = 0; i < reservation.lines().size(); i++) {
        Reservation.Line line = reservation.lines().get(i);
        if (line.sku().equals(want.sku()) && line.location().equals(want.location())) {
          index = i;
        }
      }
      long open = index < 0 ? 0 : reservation.lines().get(index).open();
      long already = index < 0 ? 0 : quantities.getOrDefault(index, 0L);
      if (index < 0 || already + want.quantity() > open) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("sku", want.sku());
        line.put("location", want.location());
        line.put("requested", want.quantity());
        line.put("open", open - already);
        refused.add(line);
      } else {
        quantities.put(index, already + want.quantity());
      }
    }
    if (!refused.isEmpty()) {
      throw ProblemException.unprocessable(
              "EXCEEDS_RESERVED",
              "Some lines are not on the reservation or exceed what is still open.")
          .with("lines", refused);
    }
    return quantities;
  }

  private Uni<Reservation> loadActive(UnitOfWork unit, UUID id) {
    return load(unit.sql(), List.of(id), true)
        .map(
            found -> {
              if (found.isEmpty()) {
                throw notFound(id);
              }
              Reservation reservation = found.get(0);
              if (reservation.status() != ReservationStatus.ACTIVE) {
                throw ProblemException.conflict(
                        "RESERVATION_NOT_ACTIVE",
                        "The reservation is " + reservation.status() + "; it holds no units.")
                    .with("status", reservation.status().name());
              }
              return reservation;
            });
  }

  static ProblemException notFound(UUID id) {
    return ProblemException.notFound("RESERVATION_NOT_FOUND", "No reservation " + id + ".");
  }

  private static Uni<List<Reservation>> load(SqlClient sql, List<UUID> ids, boolean lock) {
    UUID[] array = ids.toArray(UUID[]::new);
    return sql.preparedQuery(
            "SELECT * FROM reservation WHERE id = ANY($1) ORDER BY id"
                + (lock ? " FOR UPDATE" : ""))
        .execute(Tuple.of(array))
        .chain(
            heads ->
                sql.preparedQuery(
                        "SELECT * FROM reservation_line WHERE reservation_id = ANY($1)"
                            + " ORDER BY reservation_id, line_no")
                    .execute(Tuple.of(array))
                    .map(lines -> assemble(heads, lines)));
  }

  private static List<Reservation> assemble(RowSet<Row> heads, RowSet<Row> lineRows) {
    Map<UUID, List<Reservation.Line>> lines = new LinkedHashMap<>();
    for (Row row : lineRows) {
      lines
          .computeIfAbsent(row.getUUID("reservation_id"), k -> new ArrayList<>())
          .add(
              new Reservation.Line(
                  row.getString("sku"),
                  row.getString("location"),
                  row.getLong("quantity"),
                  row.getLong("shipped"),
                  row.getLong("released")));
    }
    List<Reservation> reservations = new ArrayList<>();
    for (Row row : heads) {
      UUID id = row.getUUID("id");
      reservations.add(
          new Reservation(
              id,
              row.getString("reference"),
              ReservationStatus.valueOf(row.getString("status")),
              row.getOffsetDateTime("expires_at"),
              row.getOffsetDateTime("created_at"),
              row.getOffsetDateTime("updated_at"),
              lines.getOrDefault(id, List.of())));
    }
    return reservations;
  }
}
