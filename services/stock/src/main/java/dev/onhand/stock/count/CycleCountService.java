package dev.onhand.stock.count;

import dev.onhand.platform.api.Lines;
import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.count.CountView.LineStatus;
import dev.onhand.stock.count.CountView.Status;
import dev.onhand.stock.ledger.BalanceKey;
import dev.onhand.stock.ledger.Bucket;
import dev.onhand.stock.ledger.Ledger;
import dev.onhand.stock.ledger.Movement;
import dev.onhand.stock.ledger.Reason;
import dev.onhand.stock.ledger.StockChange;
import dev.onhand.stock.ledger.UnknownReferences;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Cycle counts. Starting one snapshots onHand and the balance's sequence of each SKU in one
 * statement. Results replay the physical ledger entries after that sequence recorded up to the
 * moment of counting, so what was sold or received during the count is no variance. A variance
 * within tolerance is applied at once (reason cycle_count on available, reference {@code
 * count:<id>}); one beyond it waits for approval. A SKU is in at most one unfinished count per
 * location, so two counts never post the same variance.
 */
@ApplicationScoped
public class CycleCountService {
  private static final String PHYSICAL =
      "('available', 'committed', 'reserved', 'safetyStock', 'qualityControl', 'damaged')";
  private static final String IN_PROGRESS_INDEX = "cycle_count_line_in_progress";

  private final Ledger ledger;
  private final AbcClassifier abc;
  private final CountConfig config;

  public CycleCountService(Ledger ledger, AbcClassifier abc, CountConfig config) {
    this.ledger = ledger;
    this.abc = abc;
    this.config = config;
  }

  public Uni<CountView> create(UnitOfWork unit, CountRequests.Create request, String actor) {
    validateSelection(request);
    SqlConnection sql = unit.sql();
    UUID id = UUID.randomUUID();
    return requireKnown(sql, request)
        .chain(() -> select(sql, request))
        .chain(
            skus -> {
              if (skus.isEmpty()) {
                throw ProblemException.unprocessable(
                    "NOTHING_TO_COUNT",
                    "The selection holds no SKU at " + request.location() + ".");
              }
              if (skus.size() > CountRequests.MAX_SKUS) {
                throw ProblemException.unprocessable(
                        "COUNT_TOO_LARGE",
                        "The selection holds "
                            + skus.size()
                            + " SKUs; a count holds at most "
                            + CountRequests.MAX_SKUS
                            + ".")
                    .with("skus", skus.size());
              }
              return requireNoneInProgress(sql, request.location(), skus)
                  .chain(() -> insert(sql, id, request, skus, actor));
            })
        .chain(() -> find(sql, id));
  }

  public Uni<CountView> results(
      UnitOfWork unit, UUID id, CountRequests.Results request, String actor, String key) {
    Map<String, String> fields = Lines.distinctSkus(request.lines(), CountRequests.Line::sku);
    SqlConnection sql = unit.sql();
    return lock(sql, id, "COUNT_NOT_OPEN", Status.OPEN)
        .chain(
            count -> {
              requireEveryLine(count, request, fields);
              List<BalanceKey> keys =
                  request.lines().stream()
                      .map(l -> new BalanceKey(l.sku(), count.view.location()))
                      .toList();
              // the balance locks wait for any writer of these SKUs in flight, so the replay
              // below sees every movement recorded up to now
              return ledger
                  .open(unit, keys, true)
                  .chain(
                      change ->
                          sql.query("SELECT clock_timestamp() AS now")
                              .execute()
                              .map(rows -> rows.iterator().next().getOffsetDateTime("now"))
                              .chain(now -> record(unit, count, request, change, now, actor, key)));
            })
        .chain(() -> find(sql, id));
  }

  public Uni<CountView> approve(UnitOfWork unit, UUID id, String note, String actor, String key) {
    SqlConnection sql = unit.sql();
    return lock(sql, id, "COUNT_NOT_AWAITING_APPROVAL", Status.AWAITING_APPROVAL)
        .chain(
            count -> {
              List<CountView.Line> pending =
                  count.view.lines().stream()
                      .filter(l -> l.status() == LineStatus.PENDING_APPROVAL)
                      .toList();
              List<BalanceKey> keys =
                  pending.stream()
                      .map(l -> new BalanceKey(l.sku(), count.view.location()))
                      .toList();
              return ledger
                  .open(unit, keys, true)
                  .chain(
                      change -> {
                        List<Map<String, Object>> refused = new ArrayList<>();
                        for (CountView.Line line : pending) {
                          BalanceKey at = new BalanceKey(line.sku(), count.view.location());
                          long available = change.quantity(at, Bucket.AVAILABLE);
                          if (available + line.variance() < 0) {
                            Map<String, Object> s = new LinkedHashMap<>();
                            s.put("sku", line.sku());
                            s.put("variance", line.variance());
                            s.put("available", available);
                            refused.add(s);
                          }
                        }
                        if (!refused.isEmpty()) {
                          throw ProblemException.conflict(
                                  "VARIANCE_EXCEEDS_AVAILABLE",
                                  "A negative variance exceeds the units available; move units"
                                      + " into available first. Nothing was applied.")
                              .with("lines", refused);
                        }
                        UUID movement = UUID.randomUUID();
                        for (CountView.Line line : pending) {
                          if (line.variance() == 0) {
                            continue;
                          }
                          change.apply(
                              new BalanceKey(line.sku(), count.view.location()),
                              Bucket.AVAILABLE,
                              line.variance(),
                              movement(movement, id, actor, key, line.countedAt()));
                        }
                        return ledger.write(unit, change, null);
                      })
                  .chain(() -> decide(sql, id, Status.APPROVED, LineStatus.APPROVED, actor, note));
            })
        .chain(() -> find(sql, id));
  }

  /** Rejects the pending variances of a count, or withdraws an OPEN one; nothing is posted. */
  public Uni<CountView> reject(UnitOfWork unit, UUID id, String note, String actor) {
    SqlConnection sql = unit.sql();
    return lock(sql, id, "COUNT_NOT_AWAITING_APPROVAL", Status.AWAITING_APPROVAL, Status.OPEN)
        .chain(count -> decide(sql, id, Status.REJECTED, LineStatus.REJECTED, actor, note))
        .chain(() -> find(sql, id));
  }

  /** The count as the API shows it (blind: no expected quantities while OPEN), or null. */
  public Uni<CountView> find(SqlClient sql, UUID id) {
    return load(sql, id, false).map(count -> count == null ? null : shown(count.view));
  }

  // --- starting a count ---

  private static void validateSelection(CountRequests.Create request) {
    List<FieldError> errors = new ArrayList<>();
    if (request.skus() != null && request.abcClass() != null) {
      errors.add(
          new FieldError("abcClass", "CONFLICTING_SELECTION", "give skus or abcClass, not both"));
    }
    if (request.skus() != null) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < request.skus().size(); i++) {
        if (!seen.add(request.skus().get(i))) {
          errors.add(
              new FieldError("skus[" + i + "]", "DUPLICATE_SKU", "each SKU once per request"));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.validation(errors);
    }
  }

  /** 422 naming the location or the listed SKUs stock does not have. */
  private static Uni<Void> requireKnown(SqlConnection sql, CountRequests.Create request) {
    FieldError noLocation = new FieldError("location", "UNKNOWN_LOCATION", "no such location");
    if (request.skus() == null) {
      return sql.preparedQuery("SELECT 1 FROM location WHERE code = $1")
          .execute(Tuple.of(request.location()))
          .invoke(
              rows -> {
                if (rows.size() == 0) {
                  throw UnknownReferences.problem(List.of(noLocation));
                }
              })
          .replaceWithVoid();
    }
    List<BalanceKey> keys =
        request.skus().stream().map(sku -> new BalanceKey(sku, request.location())).toList();
    return UnknownReferences.find(sql, keys)
        .invoke(
            unknown -> {
              List<FieldError> errors = new ArrayList<>();
              if (unknown.locations().contains(request.location())) {
                errors.add(noLocation);
              }
              for (int i = 0; i < request.skus().size(); i++) {
                if (unknown.skus().contains(request.skus().get(i))) {
                  errors.add(new FieldError("skus[" + i + "]", "UNKNOWN_SKU", "no such item"));
                }
              }
              if (!errors.isEmpty()) {
                throw UnknownReferences.problem(errors);
              }
            })
        .replaceWithVoid();
  }

  /** The listed SKUs; or those of one ABC class; or every SKU with a balance at the location. */
  private Uni<List<String>> select(SqlConnection sql, CountRequests.Create request) {
    if (request.skus() != null) {
      return Uni.createFrom().item(request.skus());
    }
    if (request.abcClass() != null) {
      return abc.classify(sql, request.location())
          .map(
              classes ->
                  classes.entrySet().stream()
                      .filter(e -> e.getValue() == request.abcClass())
                      .map(Map.Entry::getKey)
                      .sorted()
                      .toList());
    }
    return sql.preparedQuery("SELECT sku FROM balance WHERE location = $1 ORDER BY sku")
        .execute(Tuple.of(request.location()))
        .map(
            rows -> {
              List<String> skus = new ArrayList<>();
              rows.forEach(r -> skus.add(r.getString("sku")));
              return skus;
            });
  }

  private static Uni<Void> requireNoneInProgress(
      SqlConnection sql, String location, List<String> skus) {
    return sql.preparedQuery(
            "SELECT sku, count_id FROM cycle_count_line WHERE location = $1 AND active"
                + " AND sku = ANY($2::text[]) ORDER BY sku")
        .execute(Tuple.of(location, skus.toArray(String[]::new)))
        .invoke(
            rows -> {
              if (rows.size() == 0) {
                return;
              }
              List<Map<String, Object>> busy = new ArrayList<>();
              for (Row row : rows) {
                busy.add(Map.of("sku", row.getString("sku"), "countId", row.getUUID("count_id")));
              }
              throw inProgress().with("inProgress", busy);
            })
        .replaceWithVoid();
  }

  private static ProblemException inProgress() {
    return ProblemException.conflict(
        "COUNT_IN_PROGRESS",
        "A SKU is already in an unfinished count at this location; finish or reject that count"
            + " first.");
  }

  /**
   * The count and its snapshot. One statement reads every balance, so each SKU's quantity and
   * sequence (and all SKUs) come from the same moment; a SKU without a balance row snapshots 0.
   */
  private Uni<Void> insert(
      SqlConnection sql, UUID id, CountRequests.Create request, List<String> skus, String actor) {
    long units =
        request.toleranceUnits() == null ? config.toleranceUnits() : request.toleranceUnits();
    BigDecimal percent =
        request.tolerancePercent() == null ? config.tolerancePercent() : request.tolerancePercent();
    return sql.preparedQuery(
            "INSERT INTO cycle_count (id, location, status, blind, abc_class, tolerance_units,"
                + " tolerance_percent, created_by) VALUES ($1, $2, 'OPEN', $3, $4, $5, $6, $7)")
        .execute(
            Tuple.tuple()
                .addUUID(id)
                .addString(request.location())
                .addBoolean(Boolean.TRUE.equals(request.blind()))
                .addString(request.abcClass() == null ? null : request.abcClass().name())
                .addLong(units)
                .addBigDecimal(percent)
                .addString(actor))
        .chain(
            () ->
                sql.preparedQuery(
                        "INSERT INTO cycle_count_line (count_id, line_number, location, sku,"
                            + " expected, snapshot_sequence, status) SELECT $1::uuid, k.n::int,"
                            + " $2::text, k.sku, coalesce(b.available + b.committed + b.reserved"
                            + " + b.safety_stock + b.quality_control + b.damaged, 0),"
                            + " coalesce(b.sequence, 0), 'OPEN' FROM unnest($3::text[]) WITH"
                            + " ORDINALITY AS k(sku, n) LEFT JOIN balance b ON b.sku = k.sku AND"
                            + " b.location = $2::text")
                    .execute(Tuple.of(id, request.location(), skus.toArray(String[]::new))))
        .onFailure(CycleCountService::lostRaceForSku)
        .transform(e -> inProgress())
        .replaceWithVoid();
  }

  /** Another count took one of the SKUs between our check and our insert. */
  private static boolean lostRaceForSku(Throwable failure) {
    return failure instanceof PgException pg
        && "23505".equals(pg.getSqlState())
        && IN_PROGRESS_INDEX.equals(pg.getConstraint());
  }

  // --- results ---

  /** Every SKU of the count once, and nothing else. */
  private static void requireEveryLine(
      Loaded count, CountRequests.Results request, Map<String, String> fields) {
    Set<String> inCount = new HashSet<>();
    count.view.lines().forEach(l -> inCount.add(l.sku()));
    List<FieldError> errors = new ArrayList<>();
    fields.forEach(
        (sku, field) -> {
          if (!inCount.contains(sku)) {
            errors.add(new FieldError(field, "NOT_IN_COUNT", "not a SKU of this count"));
          }
        });
    if (!errors.isEmpty()) {
      throw ProblemException.unprocessable(
              "NOT_IN_COUNT", "Results name a SKU that is not part of the count.")
          .withErrors(errors);
    }
    List<String> missing =
        count.view.lines().stream()
            .map(CountView.Line::sku)
            .filter(s -> !fields.containsKey(s))
            .toList();
    if (!missing.isEmpty()) {
      throw ProblemException.unprocessable(
              "COUNT_INCOMPLETE", "Results must cover every SKU of the count; see missingSkus.")
          .with("missingSkus", missing);
    }
  }

  private Uni<Void> record(
      UnitOfWork unit,
      Loaded count,
      CountRequests.Results request,
      StockChange change,
      OffsetDateTime now,
      String actor,
      String key) {
    SqlConnection sql = unit.sql();
    String location = count.view.location();
    int n = request.lines().size();
    String[] skus = new String[n];
    Long[] after = new Long[n];
    OffsetDateTime[] countedAt = new OffsetDateTime[n];
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CountRequests.Line line = request.lines().get(i);
      skus[i] = line.sku();
      after[i] = count.snapshotSequences.get(line.sku());
      countedAt[i] = line.countedAt() == null ? now : line.countedAt();
      if (countedAt[i].isBefore(count.view.createdAt())) {
        errors.add(
            new FieldError(
                "lines[" + i + "].countedAt", "BEFORE_COUNT_STARTED", "before the count started"));
      } else if (countedAt[i].isAfter(now)) {
        errors.add(new FieldError("lines[" + i + "].countedAt", "IN_THE_FUTURE", "later than now"));
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.unprocessable(
              "INVALID_COUNTED_AT",
              "countedAt must lie between the start of the count and the time of the results.")
          .withErrors(errors);
    }
    return sql.preparedQuery(
            "SELECT c.sku, coalesce(sum(g.delta), 0) AS moved FROM unnest($2::text[], $3::int8[],"
                + " $4::timestamptz[]) AS c(sku, after_sequence, counted_at) LEFT JOIN ledger g ON"
                + " g.sku = c.sku AND g.location = $1::text AND g.sequence > c.after_sequence AND"
                + " g.recorded_at <= c.counted_at AND g.state IN "
                + PHYSICAL
                + " GROUP BY c.sku")
        .execute(
            Tuple.tuple()
                .addString(location)
                .addArrayOfString(skus)
                .addArrayOfLong(after)
                .addArrayOfOffsetDateTime(countedAt))
        .chain(
            rows -> {
              Map<String, Long> moved = new HashMap<>();
              rows.forEach(r -> moved.put(r.getString("sku"), r.getLong("moved")));
              Map<String, CountView.Line> snapshot = new HashMap<>();
              count.view.lines().forEach(l -> snapshot.put(l.sku(), l));
              Long[] expectedAtCount = new Long[n];
              Long[] counted = new Long[n];
              Long[] variance = new Long[n];
              Boolean[] within = new Boolean[n];
              String[] status = new String[n];
              boolean pending = false;
              UUID movement = UUID.randomUUID();
              for (int i = 0; i < n; i++) {
                CountRequests.Line line = request.lines().get(i);
                long expected = snapshot.get(line.sku()).expected() + moved.get(line.sku());
                long delta = line.counted() - expected;
                boolean ok =
                    Math.abs(delta)
                        <= tolerance(
                            count.view.toleranceUnits(), count.view.tolerancePercent(), expected);
                BalanceKey at = new BalanceKey(line.sku(), location);
                LineStatus lineStatus;
                if (!ok || change.quantity(at, Bucket.AVAILABLE) + delta < 0) {
                  // a shortfall available cannot absorb waits too, so the results are kept
                  lineStatus = LineStatus.PENDING_APPROVAL;
                  pending = true;
                } else {
                  lineStatus = LineStatus.ACCEPTED;
                  if (delta != 0) {
                    change.apply(
                        at,
                        Bucket.AVAILABLE,
                        delta,
                        movement(movement, count.id, actor, key, countedAt[i]));
                  }
                }
                expectedAtCount[i] = expected;
                counted[i] = line.counted();
                variance[i] = delta;
                within[i] = ok;
                status[i] = lineStatus.name();
              }
              Status next = pending ? Status.AWAITING_APPROVAL : Status.COMPLETED;
              return ledger
                  .write(unit, change, null)
                  .chain(
                      () ->
                          sql.preparedQuery(
                                  "UPDATE cycle_count_line l SET expected_at_count ="
                                      + " v.expected_at_count, counted = v.counted, counted_at ="
                                      + " v.counted_at, variance = v.variance, unit_cost ="
                                      + " i.unit_cost, variance_value = v.variance * i.unit_cost,"
                                      + " within_tolerance = v.within, status = v.status FROM"
                                      + " unnest($2::text[], $3::int8[], $4::int8[],"
                                      + " $5::timestamptz[], $6::int8[], $7::bool[], $8::text[])"
                                      + " AS v(sku, expected_at_count, counted, counted_at,"
                                      + " variance, within, status) JOIN item i ON i.sku = v.sku"
                                      + " WHERE l.count_id = $1 AND l.sku = v.sku")
                              .execute(
                                  Tuple.tuple()
                                      .addUUID(count.id)
                                      .addArrayOfString(skus)
                                      .addArrayOfLong(expectedAtCount)
                                      .addArrayOfLong(counted)
                                      .addArrayOfOffsetDateTime(countedAt)
                                      .addArrayOfLong(variance)
                                      .addArrayOfBoolean(within)
                                      .addArrayOfString(status)))
                  .chain(
                      () ->
                          sql.preparedQuery(
                                  "UPDATE cycle_count SET status = $2, results_by = $3, results_at"
                                      + " = $4 WHERE id = $1")
                              .execute(Tuple.of(count.id, next.name(), actor, now)))
                  .chain(
                      () ->
                          next == Status.COMPLETED
                              ? finish(sql, count.id)
                              : Uni.createFrom().voidItem());
            });
  }

  /** max(units, floor(percent% × expected)). */
  static long tolerance(long units, BigDecimal percent, long expected) {
    long share =
        percent
            .multiply(BigDecimal.valueOf(expected))
            .divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR)
            .longValueExact();
    return Math.max(units, share);
  }

  // --- approval ---

  private static Uni<Void> decide(
      SqlConnection sql, UUID id, Status status, LineStatus lines, String actor, String note) {
    return sql.preparedQuery(
            "UPDATE cycle_count_line SET status = $2 WHERE count_id = $1"
                + " AND status IN ('OPEN', 'PENDING_APPROVAL')")
        .execute(Tuple.of(id, lines.name()))
        .chain(
            () ->
                sql.preparedQuery(
                        "UPDATE cycle_count SET status = $2, decided_by = $3, decided_at = now(),"
                            + " decision_note = $4 WHERE id = $1")
                    .execute(Tuple.of(id, status.name(), actor, note)))
        .chain(() -> finish(sql, id));
  }

  /** The count's SKUs may be counted again. */
  private static Uni<Void> finish(SqlConnection sql, UUID id) {
    return sql.preparedQuery("UPDATE cycle_count_line SET active = false WHERE count_id = $1")
        .execute(Tuple.of(id))
        .replaceWithVoid();
  }

  private static Movement movement(
      UUID movement, UUID id, String actor, String key, OffsetDateTime countedAt) {
    return new Movement(movement, Reason.CYCLE_COUNT, "count:" + id, actor, key, countedAt);
  }

  // --- reading ---

  /** A count as stored, with each SKU's snapshot sequence (which the API does not show). */
  private record Loaded(UUID id, CountView view, Map<String, Long> snapshotSequences) {}

  /** The count, locked, if its status is one of {@code allowed}; 404 or 409 {@code code}. */
  private Uni<Loaded> lock(SqlClient sql, UUID id, String code, Status... allowed) {
    return load(sql, id, true)
        .map(
            count -> {
              if (count == null) {
                throw notFound(id);
              }
              if (!List.of(allowed).contains(count.view.status())) {
                throw ProblemException.conflict(
                        code, "Count " + id + " is " + count.view.status() + ".")
                    .with("countStatus", count.view.status());
              }
              return count;
            });
  }

  static ProblemException notFound(UUID id) {
    return ProblemException.notFound("COUNT_NOT_FOUND", "No count " + id + ".");
  }

  private static Uni<Loaded> load(SqlClient sql, UUID id, boolean forUpdate) {
    return sql.preparedQuery(
            "SELECT * FROM cycle_count WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""))
        .execute(Tuple.of(id))
        .chain(
            rows -> {
              if (rows.size() == 0) {
                return Uni.createFrom().nullItem();
              }
              Row c = rows.iterator().next();
              return sql.preparedQuery(
                      "SELECT * FROM cycle_count_line WHERE count_id = $1 ORDER BY line_number")
                  .execute(Tuple.of(id))
                  .map(
                      lines -> {
                        List<CountView.Line> list = new ArrayList<>();
                        Map<String, Long> sequences = new HashMap<>();
                        for (Row l : lines) {
                          BigDecimal value = l.getBigDecimal("variance_value");
                          list.add(
                              new CountView.Line(
                                  l.getString("sku"),
                                  l.getLong("expected"),
                                  l.getLong("expected_at_count"),
                                  l.getLong("counted"),
                                  l.getOffsetDateTime("counted_at"),
                                  l.getLong("variance"),
                                  value == null ? null : value.stripTrailingZeros(),
                                  l.getBoolean("within_tolerance"),
                                  LineStatus.valueOf(l.getString("status"))));
                          sequences.put(l.getString("sku"), l.getLong("snapshot_sequence"));
                        }
                        String abcClass = c.getString("abc_class");
                        CountView view =
                            new CountView(
                                id,
                                c.getString("location"),
                                Status.valueOf(c.getString("status")),
                                c.getBoolean("blind"),
                                abcClass == null ? null : AbcClass.valueOf(abcClass),
                                c.getLong("tolerance_units"),
                                c.getBigDecimal("tolerance_percent").stripTrailingZeros(),
                                list,
                                c.getString("created_by"),
                                c.getOffsetDateTime("created_at"),
                                c.getString("results_by"),
                                c.getOffsetDateTime("results_at"),
                                c.getString("decided_by"),
                                c.getOffsetDateTime("decided_at"),
                                c.getString("decision_note"));
                        return new Loaded(id, view, sequences);
                      });
            });
  }

  /** A blind count shows no expected quantity until its results are in. */
  private static CountView shown(CountView count) {
    if (!count.blind() || count.status() != Status.OPEN) {
      return count;
    }
    List<CountView.Line> hidden =
        count.lines().stream()
            .map(
                l ->
                    new CountView.Line(
                        l.sku(),
                        null,
                        null,
                        l.counted(),
                        l.countedAt(),
                        l.variance(),
                        l.varianceValue(),
                        l.withinTolerance(),
                        l.status()))
            .toList();
    return new CountView(
        count.id(),
        count.location(),
        count.status(),
        count.blind(),
        count.abcClass(),
        count.toleranceUnits(),
        count.tolerancePercent(),
        hidden,
        count.createdBy(),
        count.createdAt(),
        count.resultsBy(),
        count.resultsAt(),
        count.decidedBy(),
        count.decidedAt(),
        count.decisionNote());
  }
}
