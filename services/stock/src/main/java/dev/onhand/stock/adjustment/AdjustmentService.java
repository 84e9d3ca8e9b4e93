package dev.onhand.stock.adjustment;

import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.inventory.BalanceView;
import dev.onhand.stock.ledger.BalanceKey;
import dev.onhand.stock.ledger.Bucket;
import dev.onhand.stock.ledger.Movement;
import dev.onhand.stock.ledger.Posting;
import dev.onhand.stock.ledger.Postings;
import dev.onhand.stock.ledger.Reason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Adjustments and moves: integrators correcting or reclassifying stock, line by line, atomically.
 */
@ApplicationScoped
public class AdjustmentService {
  private final Postings postings;

  public AdjustmentService(Postings postings) {
    this.postings = postings;
  }

  public Uni<MovementResult> adjust(
      UnitOfWork unit, AdjustmentRequest request, String actor, String idempotencyKey) {
    return post(unit, prepareAdjustment(request, actor, idempotencyKey));
  }

  public Uni<MovementResult> move(
      UnitOfWork unit, MoveRequest request, String actor, String idempotencyKey) {
    return post(unit, prepareMove(request, actor, idempotencyKey));
  }

  private Uni<MovementResult> post(UnitOfWork unit, Postings.Request prepared) {
    return postAll(unit, List.of(prepared))
        .map(
            outcomes -> {
              Outcome outcome = outcomes.get(0);
              if (outcome.problem() != null) {
                throw outcome.problem();
              }
              return outcome.result();
            });
  }

  /**
   * Many prepared adjustments and moves in one transaction (the API's group commit): each one's
   * result, or the problem that refused it alone.
   */
  public Uni<List<Outcome>> postAll(UnitOfWork unit, List<Postings.Request> prepared) {
    return postings
        .postAll(unit, prepared)
        .map(
            posted -> {
              List<Outcome> outcomes = new ArrayList<>(posted.size());
              for (int i = 0; i < posted.size(); i++) {
                Postings.Posted p = posted.get(i);
                Movement movement = prepared.get(i).movement();
                outcomes.add(
                    p.problem() != null
                        ? new Outcome(null, p.problem())
                        : new Outcome(
                            new MovementResult(
                                movement.id(),
                                movement.reason(),
                                movement.reference(),
                                p.entries(),
                                p.balances().stream().map(BalanceView::of).toList()),
                            null));
              }
              return outcomes;
            });
  }

  /** A movement's result, or the problem that refused it. */
  public record Outcome(MovementResult result, ProblemException problem) {}

  /** Checks an adjustment and turns it into postings; 422 for a line that cannot be posted. */
  public Postings.Request prepareAdjustment(
      AdjustmentRequest request, String actor, String idempotencyKey) {
    List<FieldError> errors = new ArrayList<>();
    requirePostable(request.reason(), errors);
    List<Posting> list = new ArrayList<>();
    for (int i = 0; i < request.lines().size(); i++) {
      AdjustmentRequest.Line line = request.lines().get(i);
      String field = "lines[" + i + "]";
      if ((line.delta() == null) == (line.setTo() == null)) {
        errors.add(new FieldError(field, "DELTA_OR_SET_TO", "exactly one of delta and setTo"));
      } else if (line.delta() != null && line.delta() == 0) {
        errors.add(new FieldError(field + ".delta", "OUT_OF_RANGE", "must not be 0"));
      }
      requireAdjustable(line.state(), field + ".state", errors);
      list.add(
          new Posting(
              field,
              new BalanceKey(line.sku(), line.location()),
              line.state(),
              line.delta(),
              line.setTo(),
              line.changeFrom(),
              null));
    }
    refuseIfAny(errors);
    return new Postings.Request(
        list, movement(request.reason(), request.reference(), actor, idempotencyKey));
  }

  /** Checks a move and turns it into postings; 422 for a line that cannot be posted. */
  public Postings.Request prepareMove(MoveRequest request, String actor, String idempotencyKey) {
    List<FieldError> errors = new ArrayList<>();
    Reason reason = request.reason() == null ? derivedReason(request) : request.reason();
    requirePostable(reason, errors);
    List<Posting> list = new ArrayList<>();
    for (int i = 0; i < request.lines().size(); i++) {
      MoveRequest.Line line = request.lines().get(i);
      String field = "lines[" + i + "]";
      if (line.from() == line.to()) {
        errors.add(new FieldError(field + ".to", "SAME_STATE", "must differ from 'from'"));
      }
      requireAdjustable(line.from(), field + ".from", errors);
      requireAdjustable(line.to(), field + ".to", errors);
      BalanceKey key = new BalanceKey(line.sku(), line.location());
      list.add(Posting.delta(field, key, line.from(), -line.quantity()));
      list.add(Posting.delta(field, key, line.to(), line.quantity()));
    }
    refuseIfAny(errors);
    return new Postings.Request(list, movement(reason, request.reference(), actor, idempotencyKey));
  }

  /** A move's reason when none is given, from where the units go. */
  static Reason derivedReason(MoveRequest request) {
    MoveRequest.Line first = request.lines().get(0);
    if (first.to() == Bucket.DAMAGED) {
      return Reason.DAMAGED;
    }
    if (first.to() == Bucket.QUALITY_CONTROL || first.from() == Bucket.QUALITY_CONTROL) {
      return Reason.QUALITY_CONTROL;
    }
    if (first.from() == Bucket.INCOMING) {
      return Reason.RECEIVED;
    }
    return Reason.CORRECTION;
  }

  private static Movement movement(
      Reason reason, String reference, String actor, String idempotencyKey) {
    return new Movement(
        UUID.randomUUID(), reason, reference, actor, idempotencyKey, OffsetDateTime.now());
  }

  private static void requirePostable(Reason reason, List<FieldError> errors) {
    if (reason != null && !reason.postableDirectly()) {
      errors.add(
          new FieldError(
              "reason",
              "REASON_NOT_ALLOWED",
              "'" + reason.code() + "' is posted by reservations or transfers only"));
    }
  }

  private static void requireAdjustable(Bucket bucket, String field, List<FieldError> errors) {
    if (bucket != null && !bucket.adjustable()) {
      errors.add(
          new FieldError(
              field,
              "STATE_NOT_ADJUSTABLE",
              "committed units change only through reservations and shipments"));
    }
  }

  private static void refuseIfAny(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw ProblemException.validation(errors);
    }
  }
}
