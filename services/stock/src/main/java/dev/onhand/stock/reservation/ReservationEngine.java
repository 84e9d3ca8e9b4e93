package dev.onhand.stock.reservation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.ledger.BalanceKey;
import dev.onhand.stock.ledger.Bucket;
import dev.onhand.stock.ledger.Ledger;
import dev.onhand.stock.ledger.Movement;
import dev.onhand.stock.ledger.Reason;
import dev.onhand.stock.ledger.StockChange;
import dev.onhand.stock.ledger.UnknownReferences;
import dev.onhand.stock.messaging.StockEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides and records reservations, many at a time. Under the row locks of every balance involved,
 * demands are taken in arrival order: a demand whose every line fits is confirmed (available →
 * committed), any other is rejected whole. Nothing can oversell: each decision sees the balances as
 * left by the previous one, the rows stay locked until commit, and the database refuses a negative
 * balance anyway.
 */
@ApplicationScoped
public class ReservationEngine {
  private static final String INSERT_RESERVATIONS =
      "INSERT INTO reservation (id, reference, status, expires_at, correlation_id, actor,"
          + " created_at, updated_at) SELECT id, reference, 'ACTIVE', expires_at, correlation_id,"
          + " actor, created_at, created_at FROM unnest($1::uuid[], $2::text[],"
          + " $3::timestamptz[], $4::text[], $5::text[], $6::timestamptz[]) AS t(id, reference,"
          + " expires_at, correlation_id, actor, created_at)";
  private static final String INSERT_LINES =
      "INSERT INTO reservation_line (reservation_id, line_no, sku, location, quantity)"
          + " SELECT * FROM unnest($1::uuid[], $2::int4[], $3::text[], $4::text[], $5::int8[])";

  private final Ledger ledger;
  private final ObjectMapper mapper;
  private final Counter confirmed;
  private final Counter rejected;
  private final Counter refusedUnits;

  public ReservationEngine(Ledger ledger, ObjectMapper mapper, MeterRegistry registry) {
    this.ledger = ledger;
    this.mapper = mapper;
    this.confirmed = registry.counter("onhand.stock.reservations", "outcome", "confirmed");
    this.rejected = registry.counter("onhand.stock.reservations", "outcome", "rejected");
    this.refusedUnits =
        Counter.builder("onhand.stock.oversell.refused")
            .description("Units asked for beyond what was available, refused instead of oversold")
            .register(registry);
  }

  /** Decides every demand in order, in the caller's transaction; one outcome per demand. */
  public Uni<List<Outcome>> reserve(UnitOfWork unit, List<Demand> demands) {
    return lock(unit, demands).chain(change -> reserve(unit, change, demands));
  }

  /**
   * Locks and reads the balances the demands name, the first step of {@link #reserve(UnitOfWork,
   * StockChange, List)}; locking some a demand turns out not to need (a replayed request) is
   * harmless.
   */
  public Uni<StockChange> lock(UnitOfWork unit, List<Demand> demands) {
    return ledger.open(unit, keysOf(demands), false);
  }

  /** Decides every demand in order under the balances {@link #lock} locked. */
  public Uni<List<Outcome>> reserve(UnitOfWork unit, StockChange change, List<Demand> demands) {
    Set<BalanceKey> missing = new HashSet<>();
    keysOf(demands).stream().filter(k -> !change.has(k)).forEach(missing::add);
    return UnknownReferences.find(unit.sql(), missing)
        .chain(unknown -> record(unit, change, demands, decide(change, demands, unknown)));
  }

  private static Set<BalanceKey> keysOf(List<Demand> demands) {
    Set<BalanceKey> keys = new HashSet<>();
    demands.forEach(d -> d.lines().forEach(l -> keys.add(l.key())));
    return keys;
  }

  private List<Outcome> decide(
      StockChange change, List<Demand> demands, UnknownReferences unknown) {
    OffsetDateTime now = OffsetDateTime.now();
    List<Outcome> outcomes = new ArrayList<>(demands.size());
    for (Demand demand : demands) {
      List<FieldError> errors = new ArrayList<>();
      for (int i = 0; i < demand.lines().size(); i++) {
        errors.addAll(unknown.errors("lines[" + i + "]", demand.lines().get(i).key()));
      }
      if (!errors.isEmpty()) {
        outcomes.add(new Outcome.Refused(UnknownReferences.problem(errors)));
        continue;
      }
      List<Outcome.ShortLine> shortLines = new ArrayList<>();
      for (Demand.Line line : demand.lines()) {
        long available = change.quantity(line.key(), Bucket.AVAILABLE);
        if (available < line.quantity()) {
          shortLines.add(
              new Outcome.ShortLine(line.sku(), line.location(), line.quantity(), available));
        }
      }
      if (!shortLines.isEmpty()) {
        rejected.increment();
        shortLines.forEach(s -> refusedUnits.increment(s.requested() - s.available()));
        outcomes.add(new Outcome.Rejected(shortLines));
        continue;
      }
      UUID id = UUID.randomUUID();
      Movement movement =
          new Movement(
              id,
              Reason.RESERVATION,
              demand.reference(),
              demand.actor(),
              demand.idempotencyKey(),
              now);
      List<Reservation.Line> lines = new ArrayList<>();
      for (Demand.Line line : demand.lines()) {
        change.move(line.key(), Bucket.AVAILABLE, Bucket.COMMITTED, line.quantity(), movement);
        lines.add(new Reservation.Line(line.sku(), line.location(), line.quantity(), 0, 0));
      }
      confirmed.increment();
      outcomes.add(
          new Outcome.Confirmed(
              new Reservation(
                  id,
                  demand.reference(),
                  ReservationStatus.ACTIVE,
                  demand.expiresAt(),
                  now,
                  now,
                  lines)));
    }
    return outcomes;
  }

  private Uni<List<Outcome>> record(
      UnitOfWork unit, StockChange change, List<Demand> demands, List<Outcome> outcomes) {
    List<UUID> ids = new ArrayList<>();
    List<String> references = new ArrayList<>();
    List<OffsetDateTime> expiries = new ArrayList<>();
    List<String> correlations = new ArrayList<>();
    List<String> actors = new ArrayList<>();
    List<OffsetDateTime> created = new ArrayList<>();
    List<UUID> lineIds = new ArrayList<>();
    List<Integer> lineNos = new ArrayList<>();
    List<String> skus = new ArrayList<>();
    List<String> locations = new ArrayList<>();
    List<Long> quantities = new ArrayList<>();
    Map<String, String> trace = null;
    for (int i = 0; i < demands.size(); i++) {
      Demand demand = demands.get(i);
      Outcome outcome = outcomes.get(i);
      if (outcome instanceof Outcome.Confirmed c) {
        Reservation r = c.reservation();
        ids.add(r.id());
        references.add(r.reference());
        expiries.add(r.expiresAt());
        correlations.add(demand.correlationId());
        actors.add(demand.actor());
        created.add(r.createdAt());
        for (int n = 0; n < r.lines().size(); n++) {
          Reservation.Line line = r.lines().get(n);
          lineIds.add(r.id());
          lineNos.add(n + 1);
          skus.add(line.sku());
          locations.add(line.location());
          quantities.add(line.quantity());
        }
        trace = trace == null ? demand.traceHeaders() : trace;
        publishConfirmed(unit, demand, r);
      } else if (demand.correlationId() != null) {
        publishRejected(unit, demand, outcome);
      }
    }
    if (ids.isEmpty()) {
      return Uni.createFrom().item(outcomes);
    }
    unit.send(
        INSERT_RESERVATIONS,
        Tuple.tuple()
            .addArrayOfUUID(ids.toArray(UUID[]::new))
            .addArrayOfString(references.toArray(String[]::new))
            .addArrayOfOffsetDateTime(expiries.toArray(OffsetDateTime[]::new))
            .addArrayOfString(correlations.toArray(String[]::new))
            .addArrayOfString(actors.toArray(String[]::new))
            .addArrayOfOffsetDateTime(created.toArray(OffsetDateTime[]::new)));
    unit.send(
        INSERT_LINES,
        Tuple.tuple()
            .addArrayOfUUID(lineIds.toArray(UUID[]::new))
            .addArrayOfInteger(lineNos.toArray(Integer[]::new))
            .addArrayOfString(skus.toArray(String[]::new))
            .addArrayOfString(locations.toArray(String[]::new))
            .addArrayOfLong(quantities.toArray(Long[]::new)));
    return ledger.write(unit, change, firstTrace(demands)).replaceWith(outcomes);
  }

  /**
   * Answers a demand refused before it could be decided (e.g. two lines for one balance) with the
   * same rejection a decided one gets.
   */
  public void refuse(UnitOfWork unit, Demand demand, ProblemException problem) {
    rejected.increment();
    publishRejected(unit, demand, new Outcome.Refused(problem));
  }

  private static Map<String, String> firstTrace(List<Demand> demands) {
    return demands.isEmpty() ? null : demands.get(0).traceHeaders();
  }

  private void publishConfirmed(UnitOfWork unit, Demand demand, Reservation reservation) {
    ObjectNode data = mapper.createObjectNode();
    data.put("reservationId", reservation.id().toString());
    data.put("reference", reservation.reference());
    if (reservation.expiresAt() != null) {
      data.put("expiresAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(reservation.expiresAt()));
    }
    data.set("lines", mapper.valueToTree(linesOf(reservation)));
    publish(unit, demand, StockEvents.RESERVATION_CONFIRMED, reservation.id().toString(), data);
  }

  private void publishRejected(UnitOfWork unit, Demand demand, Outcome outcome) {
    ObjectNode data = mapper.createObjectNode();
    data.put("reference", demand.reference());
    if (outcome instanceof Outcome.Rejected r) {
      data.put("code", "INSUFFICIENT_STOCK");
      data.set("lines", mapper.valueToTree(r.shortLines()));
    } else if (outcome instanceof Outcome.Refused r) {
      data.put("code", r.problem().problem().getCode());
      data.put("detail", r.problem().problem().getDetail());
      if (r.problem().problem().getErrors() != null) {
        data.set("errors", mapper.valueToTree(r.problem().problem().getErrors()));
      }
    }
    publish(unit, demand, StockEvents.RESERVATION_REJECTED, demand.reference(), data);
  }

  private static void publish(
      UnitOfWork unit, Demand demand, String type, String subject, ObjectNode data) {
    Envelope envelope =
        Envelope.create(type, StockEvents.SOURCE, subject, null, demand.correlationId(), data);
    unit.publish(
        envelope,
        "reservation:" + subject,
        demand.traceHeaders() == null ? Map.of() : demand.traceHeaders());
  }

  static List<Map<String, Object>> linesOf(Reservation reservation) {
    return reservation.lines().stream()
        .map(
            l ->
                Map.<String, Object>of(
                    "sku", l.sku(), "location", l.location(), "quantity", l.quantity()))
        .toList();
  }
}
