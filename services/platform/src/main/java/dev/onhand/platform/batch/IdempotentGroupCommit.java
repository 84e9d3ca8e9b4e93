package dev.onhand.platform.batch;

import dev.onhand.platform.idempotency.IdempotencyKeys;
import dev.onhand.platform.idempotency.StoredResponse;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.Transactions;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * API writes decided together in one transaction ({@link GroupCommit}), each keeping its own
 * Idempotency-Key: the batch looks up every key in one statement, runs the write for the requests
 * whose keys are free, and stores those keys with their responses in the same transaction (one
 * insert; a key stored meanwhile by another transaction runs the batch again, see {@link
 * IdempotencyKeys#storeAll}). A replayed key answers its first response; a key reused with another
 * body is refused alone (422). The same request sent again while the first is in the batch (a
 * client retrying) gets the first one's outcome, as a replay, just as it would after waiting for
 * the first to commit. A request the write refuses (a problem) stores nothing, so a corrected retry
 * may use its key.
 *
 * <p>A write may name a first step ({@code prepare}, e.g. locking and reading the balances every
 * request of the batch touches) that needs no key's outcome: it is sent together with the key
 * lookup, one round trip for both, and its result is handed to the write.
 *
 * @param <R> one API request, as the endpoint prepared it
 * @param <S> what the first step read
 */
public final class IdempotentGroupCommit<R, S> {

  /** A request's outcome: the response to send (and store), or the problem to answer with. */
  public record Outcome(StoredResponse response, ProblemException problem) {
    public static Outcome of(StoredResponse response) {
      return new Outcome(response, null);
    }

    public static Outcome refused(ProblemException problem) {
      return new Outcome(null, problem);
    }
  }

  private final Transactions transactions;
  private final IdempotencyKeys idempotency;
  private final Function<R, IdempotencyKeys.Request> keyOf;
  private final BiFunction<UnitOfWork, List<R>, Uni<S>> prepare;
  private final Write<R, S> write;
  private final GroupCommit<R, Outcome> groupCommit;

  /** Decides the claimed requests of a batch, given what the first step read. */
  @FunctionalInterface
  public interface Write<R, S> {
    Uni<List<Outcome>> apply(UnitOfWork unit, S prepared, List<R> claimed);
  }

  /**
   * @param laneKey spreads requests over lanes (e.g. by SKU), one transaction in flight per lane
   * @param prepare the write's first step, over the whole batch, sent with the key lookup
   * @param write decides the claimed requests in the batch's unit of work, one outcome each, in
   *     order; it must not fail for one request's sake (return a refused outcome instead)
   */
  public IdempotentGroupCommit(
      Transactions transactions,
      IdempotencyKeys idempotency,
      int lanes,
      int maxBatch,
      ToIntFunction<R> laneKey,
      Function<R, IdempotencyKeys.Request> keyOf,
      BiFunction<UnitOfWork, List<R>, Uni<S>> prepare,
      Write<R, S> write) {
    this.transactions = transactions;
    this.idempotency = idempotency;
    this.keyOf = keyOf;
    this.prepare = prepare;
    this.write = write;
    this.groupCommit = new GroupCommit<>(lanes, maxBatch, laneKey, this::process);
  }

  /** A group commit whose write has no first step to send early. */
  public static <R> IdempotentGroupCommit<R, Void> of(
      Transactions transactions,
      IdempotencyKeys idempotency,
      int lanes,
      int maxBatch,
      ToIntFunction<R> laneKey,
      Function<R, IdempotencyKeys.Request> keyOf,
      BiFunction<UnitOfWork, List<R>, Uni<List<Outcome>>> write) {
    return new IdempotentGroupCommit<>(
        transactions,
        idempotency,
        lanes,
        maxBatch,
        laneKey,
        keyOf,
        (unit, batch) -> Uni.createFrom().voidItem(),
        (unit, nothing, claimed) -> write.apply(unit, claimed));
  }

  public Uni<Response> submit(R request) {
    return groupCommit
        .submit(request)
        .map(
            outcome -> {
              if (outcome.problem() != null) {
                throw outcome.problem();
              }
              return outcome.response().toResponse();
            });
  }

  private Uni<List<Outcome>> process(List<R> batch) {
    // a key seen earlier in the batch: the index of its first request there, else -1
    int[] follows = new int[batch.size()];
    Map<String, Integer> firstByKey = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      IdempotencyKeys.Request key = keyOf.apply(batch.get(i));
      Integer first = key.present() ? firstByKey.putIfAbsent(key.key(), i) : null;
      follows[i] = first == null ? -1 : first;
    }
    // the key lookup and the write's first step leave together: one round trip for both
    return transactions.run(
        unit ->
            Uni.combine()
                .all()
                .unis(checkKeys(unit, batch, follows), prepare.apply(unit, batch))
                .withUni((claims, prepared) -> decide(unit, batch, claims, prepared))
                .map(outcomes -> followFirsts(batch, follows, outcomes)));
  }

  /**
   * Looks up every first key in one statement; a replay or a refused key already has its outcome
   * (non-null), a free one is decided next (null). A repeated key with another body is refused now;
   * one with the same body takes its first request's outcome later ({@link #followFirsts}).
   */
  private Uni<List<Outcome>> checkKeys(UnitOfWork unit, List<R> batch, int[] follows) {
    List<Outcome> early = new ArrayList<>(batch.size());
    List<IdempotencyKeys.Request> keys = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      IdempotencyKeys.Request key = keyOf.apply(batch.get(i));
      if (follows[i] < 0) {
        early.add(null);
        keys.add(key);
        continue;
      }
      boolean sameBody = key.fingerprint().equals(keyOf.apply(batch.get(follows[i])).fingerprint());
      early.add(sameBody ? FOLLOWER : Outcome.refused(IdempotencyKeys.reusedWithAnotherBody()));
      keys.add(new IdempotencyKeys.Request(null, null));
    }
    return idempotency
        .checkAll(unit.sql(), keys)
        .map(
            claims -> {
              for (int i = 0; i < batch.size(); i++) {
                var claim = claims.get(i);
                if (early.get(i) != null) {
                  continue;
                }
                if (claim.refused() != null) {
                  early.set(i, Outcome.refused(claim.refused()));
                } else if (!claim.claim().claimed()) {
                  early.set(i, Outcome.of(claim.claim().replay()));
                }
              }
              return early;
            });
  }

  /** A marker: decided by the first request with the same key and body. */
  private static final Outcome FOLLOWER = new Outcome(null, null);

  private static <R> List<Outcome> followFirsts(
      List<R> batch, int[] follows, List<Outcome> outcomes) {
    List<Outcome> all = new ArrayList<>(outcomes);
    for (int i = 0; i < batch.size(); i++) {
      if (all.get(i) == FOLLOWER) {
        Outcome first = all.get(follows[i]);
        all.set(i, first.problem() != null ? first : Outcome.of(first.response().asReplay()));
      }
    }
    return all;
  }

  private Uni<List<Outcome>> decide(
      UnitOfWork unit, List<R> batch, List<Outcome> claims, S prepared) {
    List<R> claimed = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      if (claims.get(i) == null) {
        claimed.add(batch.get(i));
        positions.add(i);
      }
    }
    if (claimed.isEmpty()) {
      return Uni.createFrom().item(claims);
    }
    return write
        .apply(unit, prepared, claimed)
        .map(
            outcomes -> {
              List<Outcome> results = new ArrayList<>(claims);
              List<IdempotencyKeys.Request> keys = new ArrayList<>();
              List<StoredResponse> responses = new ArrayList<>();
              for (int n = 0; n < outcomes.size(); n++) {
                results.set(positions.get(n), outcomes.get(n));
                keys.add(keyOf.apply(claimed.get(n)));
                // refused requests give their key back: only successes are stored
                responses.add(outcomes.get(n).response());
              }
              idempotency.storeAll(unit, keys, responses);
              return results;
            });
  }
}
