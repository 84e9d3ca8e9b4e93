package dev.onhand.stock.transfer;

import dev.onhand.platform.api.Lines;
import dev.onhand.platform.messaging.OperationalException;
import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.exceptions.ExceptionRegister;
import dev.onhand.stock.ledger.BalanceKey;
import dev.onhand.stock.ledger.Bucket;
import dev.onhand.stock.ledger.Movement;
import dev.onhand.stock.ledger.Posting;
import dev.onhand.stock.ledger.Postings;
import dev.onhand.stock.ledger.Reason;
import dev.onhand.stock.ledger.UnknownReferences;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Transfers between locations: DRAFT → SHIPPED (units leave the source's available and are incoming
 * at the destination, reason transfer_out) → received, partly or wholly (incoming into available
 * with transfer_in, damaged in transit into damaged); closing counts what never arrived as lost and
 * registers a TRANSFER_LOSS exception. A DRAFT may be cancelled.
 */
@ApplicationScoped
public class TransferService {
  private final Postings postings;
  private final ExceptionRegister exceptions;

  public TransferService(Postings postings, ExceptionRegister exceptions) {
    this.postings = postings;
    this.exceptions = exceptions;
  }

  public Uni<Transfer> create(UnitOfWork unit, TransferRequests.Create request) {
    Map<String, String> skus = Lines.distinctSkus(request.lines(), TransferRequests.Line::sku);
    if (request.source().equals(request.destination())) {
      throw ProblemException.validation(
          List.of(new FieldError("destination", "SAME_LOCATION", "must differ from source")));
    }
    UUID id = UUID.randomUUID();
    SqlConnection sql = unit.sql();
    return requireKnown(sql, request, skus)
        .chain(
            () ->
                sql.preparedQuery(
                        "INSERT INTO transfer (id, source, destination, reference, status) VALUES"
                            + " ($1, $2, $3, $4, 'DRAFT')")
                    .execute(
                        Tuple.of(id, request.source(), request.destination(), request.reference())))
        .chain(
            () -> {
              List<Tuple> lines = new ArrayList<>();
              for (int i = 0; i < request.lines().size(); i++) {
                TransferRequests.Line l = request.lines().get(i);
                lines.add(Tuple.of(id, i + 1, l.sku(), l.quantity()));
              }
              return sql.preparedQuery(
                      "INSERT INTO transfer_line (transfer_id, line_number, sku, quantity) VALUES"
                          + " ($1, $2, $3, $4)")
                  .executeBatch(lines);
            })
        .chain(() -> find(sql, id));
  }

  public Uni<Transfer> ship(UnitOfWork unit, UUID id, String actor, String key) {
    return lock(unit.sql(), id, "DRAFT")
        .chain(
            transfer -> {
              List<Posting> list = new ArrayList<>();
              for (Transfer.Line line : transfer.lines()) {
                list.add(
                    Posting.delta(
                        line.sku(),
                        new BalanceKey(line.sku(), transfer.source()),
                        Bucket.AVAILABLE,
                        -line.quantity()));
                list.add(
                    Posting.delta(
                        line.sku(),
                        new BalanceKey(line.sku(), transfer.destination()),
                        Bucket.INCOMING,
                        line.quantity()));
              }
              return postings
                  .post(unit, list, movement(Reason.TRANSFER_OUT, id, actor, key))
                  .chain(
                      () ->
                          unit.sql()
                              .preparedQuery(
                                  "UPDATE transfer SET status = 'SHIPPED', shipped_at = now()"
                                      + " WHERE id = $1")
                              .execute(Tuple.of(id)));
            })
        .chain(() -> find(unit.sql(), id));
  }

  public Uni<Transfer> receive(
      UnitOfWork unit, UUID id, TransferRequests.Receive request, String actor, String key) {
    Map<String, String> fields =
        Lines.distinctSkus(request.lines(), TransferRequests.ReceiveLine::sku);
    boolean close = request.close() == null || request.close();
    return lock(unit.sql(), id, "SHIPPED", "PARTIALLY_RECEIVED")
        .chain(
            transfer -> {
              Map<String, Transfer.Line> bySku = new HashMap<>();
              transfer.lines().forEach(l -> bySku.put(l.sku(), l));
              List<FieldError> errors = new ArrayList<>();
              List<Posting> list = new ArrayList<>();
              Map<String, long[]> arrived = new HashMap<>();
              for (TransferRequests.ReceiveLine r : request.lines()) {
                Transfer.Line line = bySku.get(r.sku());
                long good = r.good() == null ? 0 : r.good();
                long damaged = r.damaged() == null ? 0 : r.damaged();
                String field = fields.get(r.sku()).replace(".sku", "");
                if (line == null) {
                  errors.add(
                      new FieldError(field + ".sku", "NOT_ON_TRANSFER", "not on this transfer"));
                  continue;
                }
                if (good + damaged == 0 || good + damaged > line.inTransit()) {
                  errors.add(
                      new FieldError(
                          field,
                          "EXCEEDS_IN_TRANSIT",
                          "good + damaged must be 1 to " + line.inTransit()));
                  continue;
                }
                BalanceKey at = new BalanceKey(r.sku(), transfer.destination());
                list.add(Posting.delta(field, at, Bucket.INCOMING, -(good + damaged)));
                list.add(Posting.delta(field, at, Bucket.AVAILABLE, good));
                list.add(
                    new Posting(field, at, Bucket.DAMAGED, damaged, null, null, Reason.DAMAGED));
                arrived.put(r.sku(), new long[] {good, damaged});
              }
              if (!errors.isEmpty()) {
                throw ProblemException.unprocessable(
                        "EXCEEDS_IN_TRANSIT",
                        "Only units of the transfer still in transit can arrive.")
                    .withErrors(errors);
              }
              Map<String, Long> lost = new HashMap<>();
              if (close) {
                for (Transfer.Line line : transfer.lines()) {
                  long[] a = arrived.getOrDefault(line.sku(), new long[2]);
                  long missing = line.inTransit() - a[0] - a[1];
                  if (missing > 0) {
                    lost.put(line.sku(), missing);
                    list.add(
                        new Posting(
                            line.sku(),
                            new BalanceKey(line.sku(), transfer.destination()),
                            Bucket.INCOMING,
                            -missing,
                            null,
                            null,
                            Reason.LOST));
                  }
                }
              }
              Uni<Void> chain =
                  postings
                      .post(unit, list, movement(Reason.TRANSFER_IN, id, actor, key))
                      .replaceWithVoid();
              for (Transfer.Line line : transfer.lines()) {
                long[] a = arrived.getOrDefault(line.sku(), new long[2]);
                long missing = lost.getOrDefault(line.sku(), 0L);
                if (a[0] + a[1] + missing == 0) {
                  continue;
                }
                chain =
                    chain.chain(
                        () ->
                            unit.sql()
                                .preparedQuery(
                                    "UPDATE transfer_line SET received = received + $3, damaged ="
                                        + " damaged + $4, lost = lost + $5 WHERE transfer_id = $1"
                                        + " AND sku = $2")
                                .execute(Tuple.of(id, line.sku(), a[0], a[1], missing))
                                .replaceWithVoid());
                if (missing > 0) {
                  chain =
                      chain.chain(
                          () ->
                              exceptions.record(
                                  unit.sql(),
                                  "onhand/stock",
                                  new OperationalException(
                                      UUID.randomUUID(),
                                      "TRANSFER_LOSS",
                                      "HIGH",
                                      "transfer:" + id,
                                      OffsetDateTime.now(),
                                      line.sku(),
                                      transfer.destination(),
                                      line.quantity(),
                                      line.quantity() - missing - line.lost(),
                                      List.of("location:" + transfer.source()),
                                      missing
                                          + " units shipped from "
                                          + transfer.source()
                                          + " never arrived.")));
                }
              }
              return chain
                  .chain(() -> find(unit.sql(), id))
                  .chain(
                      after -> {
                        boolean done =
                            close || after.lines().stream().allMatch(l -> l.inTransit() == 0);
                        return unit.sql()
                            .preparedQuery(
                                "UPDATE transfer SET status = $2, closed_at = CASE WHEN $3 THEN"
                                    + " now() ELSE closed_at END WHERE id = $1")
                            .execute(Tuple.of(id, done ? "RECEIVED" : "PARTIALLY_RECEIVED", done));
                      });
            })
        .chain(() -> find(unit.sql(), id));
  }

  public Uni<Transfer> cancel(UnitOfWork unit, UUID id) {
    return lock(unit.sql(), id, "DRAFT")
        .chain(
            t ->
                unit.sql()
                    .preparedQuery(
                        "UPDATE transfer SET status = 'CANCELLED', closed_at = now() WHERE id = $1")
                    .execute(Tuple.of(id)))
        .chain(() -> find(unit.sql(), id));
  }

  private static Movement movement(Reason reason, UUID id, String actor, String key) {
    return new Movement(
        UUID.randomUUID(), reason, "transfer:" + id, actor, key, OffsetDateTime.now());
  }

  /** The transfer, locked, if its status is one of {@code allowed}; 404 or 409 otherwise. */
  private Uni<Transfer> lock(SqlClient sql, UUID id, String... allowed) {
    return sql.preparedQuery("SELECT status FROM transfer WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .chain(
            rows -> {
              if (rows.size() == 0) {
                throw ProblemException.notFound("TRANSFER_NOT_FOUND", "No transfer " + id + ".");
              }
              String status = rows.iterator().next().getString("status");
              if (!List.of(allowed).contains(status)) {
                throw ProblemException.conflict(
                        "TRANSFER_STATUS", "Transfer " + id + " is " + status + ".")
                    .with("transferStatus", status);
              }
              return find(sql, id);
            });
  }

  /** 422 naming the source, destination or line whose location or SKU stock does not have. */
  private static Uni<Void> requireKnown(
      SqlConnection sql, TransferRequests.Create request, Map<String, String> skus) {
    List<BalanceKey> keys = new ArrayList<>();
    skus.keySet()
        .forEach(
            sku -> {
              keys.add(new BalanceKey(sku, request.source()));
              keys.add(new BalanceKey(sku, request.destination()));
            });
    return UnknownReferences.find(sql, keys)
        .invoke(
            unknown -> {
              List<FieldError> errors = new ArrayList<>();
              if (unknown.locations().contains(request.source())) {
                errors.add(new FieldError("source", "UNKNOWN_LOCATION", "no such location"));
              }
              if (unknown.locations().contains(request.destination())) {
                errors.add(new FieldError("destination", "UNKNOWN_LOCATION", "no such location"));
              }
              skus.forEach(
                  (sku, field) -> {
                    if (unknown.skus().contains(sku)) {
                      errors.add(new FieldError(field, "UNKNOWN_SKU", "no such item"));
                    }
                  });
              if (!errors.isEmpty()) {
                throw UnknownReferences.problem(errors);
              }
            })
        .replaceWithVoid();
  }

  public Uni<Transfer> find(SqlClient sql, UUID id) {
    return sql.preparedQuery("SELECT * FROM transfer WHERE id = $1")
        .execute(Tuple.of(id))
        .chain(
            rows -> {
              if (rows.size() == 0) {
                return Uni.createFrom().nullItem();
              }
              Row t = rows.iterator().next();
              return sql.preparedQuery(
                      "SELECT * FROM transfer_line WHERE transfer_id = $1 ORDER BY line_number")
                  .execute(Tuple.of(id))
                  .map(
                      lines -> {
                        List<Transfer.Line> list = new ArrayList<>();
                        lines.forEach(
                            l ->
                                list.add(
                                    new Transfer.Line(
                                        l.getString("sku"),
                                        l.getLong("quantity"),
                                        l.getLong("received"),
                                        l.getLong("damaged"),
                                        l.getLong("lost"))));
                        return new Transfer(
                            id,
                            t.getString("source"),
                            t.getString("destination"),
                            t.getString("reference"),
                            t.getString("status"),
                            list,
                            t.getOffsetDateTime("created_at"),
                            t.getOffsetDateTime("shipped_at"),
                            t.getOffsetDateTime("closed_at"));
                      });
            });
  }
}
