package dev.onhand.stock.reservation;

import dev.onhand.platform.batch.IdempotentGroupCommit;
import dev.onhand.platform.idempotency.IdempotencyKeys;
import dev.onhand.platform.tx.Transactions;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.ledger.StockChange;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The API's path to the reservation engine. Requests for the same hot SKU that arrive while a
 * transaction is in flight are decided together in the next one (group commit): one lock, one
 * commit flush, many reservations. Each request keeps its own Idempotency-Key, claimed in that same
 * transaction.
 */
@ApplicationScoped
public class ReservationBatcher {
  private final IdempotencyKeys idempotency;
  private final ReservationEngine engine;
  private final IdempotentGroupCommit<Request, StockChange> groupCommit;

  public ReservationBatcher(
      Transactions transactions,
      IdempotencyKeys idempotency,
      ReservationEngine engine,
      @ConfigProperty(name = "onhand.stock.reservations.lanes") int lanes,
      @ConfigProperty(name = "onhand.stock.reservations.max-batch") int maxBatch) {
    this.idempotency = idempotency;
    this.engine = engine;
    this.groupCommit =
        new IdempotentGroupCommit<>(
            transactions,
            idempotency,
            lanes,
            maxBatch,
            r -> r.demand().lines().get(0).key().hashCode(),
            Request::key,
            // the batch's balances are locked in the key lookup's round trip
            (unit, batch) -> engine.lock(unit, batch.stream().map(Request::demand).toList()),
            this::decide);
  }

  /** One API request: the demand and its idempotency key. */
  public record Request(Demand demand, IdempotencyKeys.Request key) {}

  public Uni<Response> submit(Request request) {
    return groupCommit.submit(request);
  }

  private Uni<List<IdempotentGroupCommit.Outcome>> decide(
      UnitOfWork unit, StockChange locked, List<Request> claimed) {
    return engine
        .reserve(unit, locked, claimed.stream().map(Request::demand).toList())
        .map(outcomes -> outcomes.stream().map(this::toOutcome).toList());
  }

  private IdempotentGroupCommit.Outcome toOutcome(Outcome outcome) {
    if (outcome instanceof Outcome.Confirmed c) {
      return IdempotentGroupCommit.Outcome.of(
          idempotency.response(
              201, c.reservation(), "/api/v1/reservations/" + c.reservation().id()));
    }
    if (outcome instanceof Outcome.Rejected r) {
      return IdempotentGroupCommit.Outcome.refused(r.problem());
    }
    return IdempotentGroupCommit.Outcome.refused(((Outcome.Refused) outcome).problem());
  }
}
