package dev.onhand.platform.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The data of every service's {@code <service>.exception.raised} (contracts/schemas/
 * operational-exception.v1.json): something physical did not match the documents, for stock's
 * exception register. {@code exceptionId} is its deduplication key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationalException(
    UUID exceptionId,
    String kind,
    String severity,
    String reference,
    OffsetDateTime occurredAt,
    String sku,
    String location,
    Long expected,
    Long actual,
    List<String> references,
    String detail) {}
