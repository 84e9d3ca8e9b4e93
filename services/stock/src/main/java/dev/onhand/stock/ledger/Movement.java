package dev.onhand.stock.ledger;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What every ledger entry of one operation shares: the movement id, why, against which document, by
 * whom, under which idempotency key, and when it happened.
 */
public record Movement(
    UUID id,
    Reason reason,
    String reference,
    String actor,
    String idempotencyKey,
    OffsetDateTime occurredAt) {

  public Movement withReason(Reason other) {
    return new Movement(id, other, reference, actor, idempotencyKey, occurredAt);
  }
}
