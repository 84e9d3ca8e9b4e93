package dev.onhand.stock.reservation;

import dev.onhand.platform.batch.GroupCommit;
import dev.onhand.platform.idempotency.IdempotencyKeys;
import dev.onhand.platform.idempotency.StoredResponse;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.Transactions;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The API's path to the reservation engine. Requests for the same hot SKU that arrive while a
 * transaction is in flight are decided together in the next one (group commit): one lock, one
 * commit flush, many reservations. Each request keeps its own Idempotency-Key, claimed in that same
 * transaction.
 */
@ApplicationScoped
public class ReservationBatcher {
  private final Transactions transactions;
  private final IdempotencyKeys idempotency;
  private final ReservationEngine engine;
  private final GroupCommit<Request, Result> groupCommit;

  public ReservationBatcher(
      Transactions transactions,
      IdempotencyKeys idempotency,
      ReservationEngine engine,
      @ConfigProperty(name = "onhand.stock.reservations.lanes") int lanes,
      @ConfigProperty(name = "onhand.stock.reservations.max-batch") int maxBatch) {
    this.transactions = transactions;
    this.idempotency = idempotency;
    this.engine = engine;
    this.groupCommit =
        new GroupCommit<>(
            lanes, maxBatch, r -> r.demand().lines().get(0).key().hashCode(), this::process);
  }

  /** One API request: the demand and its idempotency key. */
  public record Request(Demand demand, IdempotencyKeys.Request key) {}

  /** A response to send, or a problem to answer with. */
  record Result(StoredResponse response, ProblemException problem) {}

  public Uni<Response> submit(Request request) {
    return groupCommit
        .submit(request)
        .map(
            result -> {
              if (result.problem() != null) {
                throw result.problem();
              }
              return result.response().toResponse();
            });
  }

  private Uni<List<Result>> process(List<Request> batch) {
    return transactions.run(
        unit -> claimKeys(unit, batch).chain(claims -> decide(unit, batch, claims)));
  }

  /**
   * Claims every request's key in one statement; a replay or a refused key already has its result
   * (non-null), a claimed one is decided next (null).
   */
  private Uni<List<Result>> claimKeys(UnitOfWork unit, List<Request> batch) {
    List<Result> early = new ArrayList<>(batch.size());
    List<IdempotencyKeys.Request> keys = new ArrayList<>(batch.size());
    Set<String> keysInBatch = new HashSet<>();
    for (Request request : batch) {
      boolean repeated = request.key().present() && !keysInBatch.add(request.key().key());
      early.add(
          repeated
              ? new Result(
                  null,
                  ProblemException.conflict(
                      "IDEMPOTENCY_KEY_IN_USE",
                      "A request with this Idempotency-Key is in progress; retry."))
              : null);
      // a key repeated within the batch is not claimed twice
      keys.add(repeated ? new IdempotencyKeys.Request(null, null) : request.key());
    }
    return idempotency
        .claimAll(unit.sql(), keys)
        .map(
            claims -> {
              for (int i = 0; i < batch.size(); i++) {
                var claim = claims.get(i);
                if (early.get(i) != null) {
                  continue;
                }
                if (claim.refused() != null) {
                  early.set(i, new Result(null, claim.refused()));
                } else if (!claim.claim().claimed()) {
                  early.set(i, new Result(claim.claim().replay(), null));
                }
              }
              return early;
            });
  }

  private Uni<List<Result>> decide(UnitOfWork unit, List<Request> batch, List<Result> claims) {
    List<Demand> demands = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      if (claims.get(i) == null) {
        demands.add(batch.get(i).demand());
        positions.add(i);
      }
    }
    if (demands.isEmpty()) {
      return Uni.createFrom().item(claims);
    }
    return engine
        .reserve(unit, demands)
        .chain(
            outcomes -> {
              List<Result> results = new ArrayList<>(claims);
              List<IdempotencyKeys.Request> keys = new ArrayList<>();
              List<StoredResponse> responses = new ArrayList<>();
              for (int n = 0; n < outcomes.size(); n++) {
                Result result = toResult(outcomes.get(n));
                results.set(positions.get(n), result);
                keys.add(batch.get(positions.get(n)).key());
                // refused requests give their key back: only successes are stored
                responses.add(result.response());
              }
              return idempotency.settleAll(unit.sql(), keys, responses).replaceWith(results);
            });
  }

  private Result toResult(Outcome outcome) {
    if (outcome instanceof Outcome.Confirmed c) {
      return new Result(
          idempotency.response(
              201, c.reservation(), "/api/v1/reservations/" + c.reservation().id()),
          null);
    }
    if (outcome instanceof Outcome.Rejected r) {
      return new Result(null, r.problem());
    }
    return new Result(null, ((Outcome.Refused) outcome).problem());
  }
}
