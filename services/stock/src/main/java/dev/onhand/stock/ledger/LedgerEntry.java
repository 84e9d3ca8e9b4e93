package dev.onhand.stock.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One change of one bucket, as recorded in the append-only ledger. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerEntry(
    UUID movementId,
    String sku,
    String location,
    long sequence,
    Bucket state,
    long delta,
    long balanceAfter,
    Reason reason,
    String reference,
    String actor,
    String idempotencyKey,
    OffsetDateTime occurredAt,
    OffsetDateTime recordedAt) {}
