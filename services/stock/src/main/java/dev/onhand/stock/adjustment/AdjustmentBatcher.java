package dev.onhand.stock.adjustment;

import dev.onhand.platform.batch.IdempotentGroupCommit;
import dev.onhand.platform.idempotency.IdempotencyKeys;
import dev.onhand.platform.tx.Transactions;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.ledger.Postings;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The API's path for adjustments and moves. Those that arrive while a transaction is in flight are
 * posted together in the next one (group commit): one lock statement, one ledger insert, one
 * balance update and one commit flush for many movements, each still all or nothing and each with
 * its own Idempotency-Key claimed in that transaction.
 */
@ApplicationScoped
public class AdjustmentBatcher {
  private final AdjustmentService adjustments;
  private final IdempotencyKeys idempotency;
  private final IdempotentGroupCommit<Request, Void> groupCommit;

  public AdjustmentBatcher(
      Transactions transactions,
      IdempotencyKeys idempotency,
      AdjustmentService adjustments,
      @ConfigProperty(name = "onhand.stock.adjustments.lanes") int lanes,
      @ConfigProperty(name = "onhand.stock.adjustments.max-batch") int maxBatch) {
    this.adjustments = adjustments;
    this.idempotency = idempotency;
    this.groupCommit =
        IdempotentGroupCommit.of(
            transactions,
            idempotency,
            lanes,
            maxBatch,
            r -> r.movement().postings().get(0).key().hashCode(),
            Request::key,
            this::post);
  }

  /** One API request: its checked postings and its idempotency key. */
  public record Request(Postings.Request movement, IdempotencyKeys.Request key) {}

  public Uni<Response> submit(Request request) {
    return groupCommit.submit(request);
  }

  private Uni<List<IdempotentGroupCommit.Outcome>> post(UnitOfWork unit, List<Request> claimed) {
    return adjustments
        .postAll(unit, claimed.stream().map(Request::movement).toList())
        .map(
            outcomes ->
                outcomes.stream()
                    .map(
                        o ->
                            o.problem() != null
                                ? IdempotentGroupCommit.Outcome.refused(o.problem())
                                : IdempotentGroupCommit.Outcome.of(
                                    idempotency.response(201, o.result(), null)))
                    .toList());
  }
}
