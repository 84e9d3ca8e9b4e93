package dev.onhand.stock.ledger;

import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
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
                unknownReferences(unit.sql(), change, List.of(new Request(postings, movement)))
                    .invoke(
                        unknown -> {
                          if (unknown.get(0) != null) {
                            throw unknown.get(0);
                          }
                        }))
        .invoke(change -> apply(change, postings, movement))
        .call(change -> ledger.write(unit, change, null));
  }

  /**
   * Applies in order, all or nothing: every line is first checked against the balances as the
   * earlier lines leave them, every stale or negative line is refused together, and only then is
   * anything applied (so a refused movement leaves {@code change} as it was).
   */
  static void apply(StockChange change, List<Posting> postings, Movement movement) {
    List<Map<String, Object>> stale = new ArrayList<>();
    List<Map<String, Object>> negative = new ArrayList<>();
    Map<BalanceKey, long[]> pending = new HashMap<>();
    List<Posting> planned = new ArrayList<>();
    List<Long> deltas = new ArrayList<>();
    for (Posting posting : postings) {
      long[] earlier =
          pending.computeIfAbsent(posting.key(), k -> new long[Bucket.values().length]);
      long current =
          change.quantity(posting.key(), posting.bucket()) + earlier[posting.bucket().ordinal()];
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
      earlier[posting.bucket().ordinal()] += delta;
      planned.add(posting);
      deltas.add(delta);
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
    for (int i = 0; i < planned.size(); i++) {
      Posting posting = planned.get(i);
      Movement applied =
          posting.reason() == null ? movement : movement.withReason(posting.reason());
      change.apply(posting.key(), posting.bucket(), deltas.get(i), applied);
    }
  }

  /** One movement of a batch: its postings, applied all or none. */
  public record Request(List<Posting> postings, Movement movement) {}

  /**
   * What one movement of a batch did: its ledger entries and its balances right after it, or the
   * problem that refused it (and nothing of it was applied).
   */
  public record Posted(
      List<LedgerEntry> entries, List<Balance> balances, ProblemException problem) {}

  /**
   * Applies many movements in one transaction (a group commit): every balance they touch is locked
   * once, in key order, then each movement is applied all or nothing, in the order given, so one
   * refused movement refuses none of the others. One write persists them all.
   */
  public Uni<List<Posted>> postAll(UnitOfWork unit, List<Request> requests) {
    Set<BalanceKey> keys = new LinkedHashSet<>();
    requests.forEach(r -> r.postings().forEach(p -> keys.add(p.key())));
    return ledger
        .open(unit, keys, true)
        .chain(
            change ->
                unknownReferences(unit.sql(), change, requests)
                    .map(unknown -> applyEach(change, requests, unknown))
                    .call(() -> ledger.write(unit, change, null)));
  }

  private static List<Posted> applyEach(
      StockChange change, List<Request> requests, List<ProblemException> unknown) {
    List<Posted> posted = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      Request request = requests.get(i);
      if (unknown.get(i) != null) {
        posted.add(new Posted(List.of(), List.of(), unknown.get(i)));
        continue;
      }
      int before = change.entries().size();
      try {
        apply(change, request.postings(), request.movement());
      } catch (ProblemException refused) {
        posted.add(new Posted(List.of(), List.of(), refused));
        continue;
      }
      List<LedgerEntry> entries =
          List.copyOf(change.entries().subList(before, change.entries().size()));
      Set<BalanceKey> touched = new LinkedHashSet<>();
      entries.forEach(e -> touched.add(new BalanceKey(e.sku(), e.location())));
      List<Balance> balances = touched.stream().map(k -> change.balance(k).snapshot()).toList();
      posted.add(new Posted(entries, balances, null));
    }
    return posted;
  }

  /** Per request, the 422 naming its lines whose SKU or location does not exist, or null. */
  private static Uni<List<ProblemException>> unknownReferences(
      SqlConnection sql, StockChange change, List<Request> requests) {
    List<ProblemException> none = new ArrayList<>();
    requests.forEach(r -> none.add(null));
    if (change.unknown().isEmpty()) {
      return Uni.createFrom().item(none);
    }
    return UnknownReferences.find(sql, List.copyOf(change.unknown()))
        .map(
            unknown -> {
              List<ProblemException> problems = new ArrayList<>(none);
              for (int i = 0; i < requests.size(); i++) {
                Set<FieldError> errors = new LinkedHashSet<>();
                for (Posting p : requests.get(i).postings()) {
                  errors.addAll(unknown.errors(p.field(), p.key()));
                }
                if (!errors.isEmpty()) {
                  problems.set(i, UnknownReferences.problem(List.copyOf(errors)));
                }
              }
              return problems;
            });
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
}
