package dev.onhand.stock.ledger;

import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a list of postings atomically: all of them, or none with a problem naming every line that
 * failed. Adjustments, moves and the movements other services request all come through here.
 */
@ApplicationScoped
public class Postings {
  private final Ledger ledger;

  public Postings(Ledger ledger) {
    this.ledger = ledger;
  }

  public Uni<StockChange> post(UnitOfWork unit, List<Posting> postings, Movement movement) {
    List<BalanceKey> keys = postings.stream().map(Posting::key).toList();
    return ledger
        .open(unit, keys, true)
        .call(
            change ->
                change.unknown().isEmpty()
                    ? Uni.createFrom().voidItem()
                    : refuseUnknown(unit.sql(), postings))
        .invoke(change -> apply(change, postings, movement))
        .call(change -> ledger.write(unit, change, null));
  }

  /** Applies in order; collects every stale or negative line and refuses them all together. */
  static void apply(StockChange change, List<Posting> postings, Movement movement) {
    List<Map<String, Object>> stale = new ArrayList<>();
    List<Map<String, Object>> negative = new ArrayList<>();
    for (Posting posting : postings) {
      long current = change.quantity(posting.key(), posting.bucket());
      if (posting.changeFrom() != null && posting.changeFrom() != current) {
        stale.add(line(posting, "expected", posting.changeFrom(), "actual", current));
        continue;
      }
      long delta = posting.setTo() != null ? posting.setTo() - current : posting.delta();
      if (delta == 0) {
        continue;
      }
      if (current + delta < 0) {
        negative.add(line(posting, "balance", current, "delta", delta));
        continue;
      }
      Movement applied =
          posting.reason() == null ? movement : movement.withReason(posting.reason());
      change.apply(posting.key(), posting.bucket(), delta, applied);
    }
    if (!stale.isEmpty()) {
      throw ProblemException.conflict(
              "CHANGE_FROM_STALE",
              "A balance is no longer the changeFrom value; read it again and retry.")
          .with("lines", stale);
    }
    if (!negative.isEmpty()) {
      throw ProblemException.unprocessable(
              "NEGATIVE_BALANCE",
              "The change would take a balance below zero; nothing was applied.")
          .with("lines", negative);
    }
  }

  private static Map<String, Object> line(
      Posting posting, String name1, long value1, String name2, long value2) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("field", posting.field());
    line.put("sku", posting.key().sku());
    line.put("location", posting.key().location());
    line.put("state", posting.bucket().code());
    line.put(name1, value1);
    line.put(name2, value2);
    return line;
  }

  /** Fails with 422 naming each line whose SKU or location does not exist. */
  private static Uni<Void> refuseUnknown(SqlConnection sql, List<Posting> postings) {
    return UnknownReferences.find(sql, postings.stream().map(Posting::key).toList())
        .map(
            unknown -> {
              Set<FieldError> errors = new LinkedHashSet<>();
              postings.forEach(p -> errors.addAll(unknown.errors(p.field(), p.key())));
              throw UnknownReferences.problem(List.copyOf(errors));
            })
        .replaceWithVoid();
  }
}
