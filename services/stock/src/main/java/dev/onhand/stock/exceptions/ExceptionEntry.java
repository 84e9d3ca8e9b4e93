package dev.onhand.stock.exceptions;

import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One entry of the exception register, as the API shows it. */
@Schema(name = "OperationalExceptionEntry")
public record ExceptionEntry(
    UUID id,
    String source,
    String kind,
    String severity,
    String reference,
    String sku,
    String location,
    Long expected,
    Long actual,
    List<String> references,
    String detail,
    OffsetDateTime occurredAt,
    OffsetDateTime recordedAt,
    String status,
    String resolution,
    String resolvedBy,
    OffsetDateTime resolvedAt,
    String note) {

  static ExceptionEntry fromRow(Row row) {
    return new ExceptionEntry(
        row.getUUID("id"),
        row.getString("source"),
        row.getString("kind"),
        row.getString("severity"),
        row.getString("reference"),
        row.getString("sku"),
        row.getString("location"),
        row.getLong("expected"),
        row.getLong("actual"),
        Arrays.asList(row.getArrayOfStrings("refs")),
        row.getString("detail"),
        row.getOffsetDateTime("occurred_at"),
        row.getOffsetDateTime("recorded_at"),
        row.getString("status"),
        row.getString("resolution"),
        row.getString("resolved_by"),
        row.getOffsetDateTime("resolved_at"),
        row.getString("note"));
  }
}
