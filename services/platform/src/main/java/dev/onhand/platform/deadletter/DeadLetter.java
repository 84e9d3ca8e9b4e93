package dev.onhand.platform.deadletter;

import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;

/** A message the inbox dead-lettered, as the admin list shows it (its body stays in the queue). */
public record DeadLetter(
    String consumer,
    String messageId,
    String type,
    int attempts,
    String lastError,
    OffsetDateTime firstFailedAt,
    OffsetDateTime lastFailedAt) {

  static DeadLetter fromRow(Row row) {
    return new DeadLetter(
        row.getString("consumer"),
        row.getString("message_id"),
        row.getString("type"),
        row.getInteger("attempts"),
        row.getString("last_error"),
        row.getOffsetDateTime("first_failed_at"),
        row.getOffsetDateTime("last_failed_at"));
  }
}
