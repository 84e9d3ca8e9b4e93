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

  /** Claims each request's key; a replay or a refused key already has its result. */
  private Uni<List<Result>> claimKeys(UnitOfWork unit, List<Request> batch) {
    List<Uni<Result>> claims = new ArrayList<>(batch.size());
    Set<String> keysInBatch = new HashSet<>();
    for (Request request : batch) {
      if (!request.key().present()) {
        claims.add(Uni.createFrom().nullItem());
      } else if (!keysInBatch.add(request.key().key())) {
        claims.add(
            Uni.createFrom()
                .item(
                    new Result(
                        null,
                        ProblemException.conflict(
                            "IDEMPOTENCY_KEY_IN_USE",
                            "A request with this Idempotency-Key is in progress; retry."))));
      } else {
        claims.add(
            idempotency
                .claim(unit.sql(), request.key())
                .map(claim -> claim.claimed() ? null : new Result(claim.replay(), null))
                .onFailure(ProblemException.class)
                .recoverWithItem(failure -> new Result(null, (ProblemException) failure)));
      }
    }
    // issued together, the claims are pipelined on the transaction's connection
    return Uni.join().all(claims).andFailFast();
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
              List<Uni<Void>> keyWrites = new ArrayList<>();
              for (int n = 0; n < outcomes.size(); n++) {
                Request request = batch.get(positions.get(n));
                Result result = toResult(outcomes.get(n));
                results.set(positions.get(n), result);
                keyWrites.add(
                    result.response() != null
                        ? idempotency.complete(unit.sql(), request.key(), result.response())
                        : idempotency.release(unit.sql(), request.key()));
              }
              return Uni.join().all(keyWrites).andFailFast().replaceWith(results);
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
