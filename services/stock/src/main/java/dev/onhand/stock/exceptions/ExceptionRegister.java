package dev.onhand.stock.exceptions;

import dev.onhand.platform.api.Page;
import dev.onhand.platform.messaging.OperationalException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The register's table: recorded once per exception id, listed, locked and resolved. */
@ApplicationScoped
public class ExceptionRegister {
  private final Pool pool;

  public ExceptionRegister(Pool pool) {
    this.pool = pool;
  }

  /** Records an exception; one already recorded (a redelivery or resend) is left as it is. */
  public Uni<Void> record(SqlClient sql, String source, OperationalException e) {
    return sql.preparedQuery(
            "INSERT INTO exception_entry (id, source, kind, severity, reference, sku, location,"
                + " expected, actual, refs, detail, occurred_at) VALUES ($1, $2, $3, $4, $5, $6,"
                + " $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING")
        .execute(
            Tuple.tuple()
                .addUUID(e.exceptionId())
                .addString(source)
                .addString(e.kind())
                .addString(e.severity())
                .addString(e.reference())
                .addString(e.sku())
                .addString(e.location())
                .addLong(e.expected())
                .addLong(e.actual())
                .addArrayOfString(
                    e.references() == null ? new String[0] : e.references().toArray(String[]::new))
                .addString(e.detail())
                .addOffsetDateTime(e.occurredAt()))
        .replaceWithVoid();
  }

  public Uni<ExceptionEntry> find(SqlClient sql, UUID id, boolean lock) {
    return sql.preparedQuery(
            "SELECT * FROM exception_entry WHERE id = $1" + (lock ? " FOR UPDATE" : ""))
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : ExceptionEntry.fromRow(rows.iterator().next()));
  }

  public Uni<ExceptionEntry> find(UUID id) {
    return find(pool, id, false);
  }

  public Uni<Void> resolve(SqlClient sql, UUID id, String resolution, String actor, String note) {
    return sql.preparedQuery(
            "UPDATE exception_entry SET status = 'RESOLVED', resolution = $2, resolved_by = $3,"
                + " resolved_at = now(), note = $4 WHERE id = $1")
        .execute(Tuple.of(id, resolution, actor, note))
        .replaceWithVoid();
  }

  /** Entries by time recorded, filtered by status and kind, after the cursor's (time, id). */
  public Uni<Page<ExceptionEntry>> list(
      String status, String kind, String afterTime, String afterId, int limit) {
    return pool.preparedQuery(
            "SELECT * FROM exception_entry WHERE ($1::text IS NULL OR status = $1) AND ($2::text"
                + " IS NULL OR kind = $2) AND ($3::text IS NULL OR (recorded_at, id) >"
                + " ($3::text::timestamptz, $4::text::uuid)) ORDER BY recorded_at, id LIMIT $5")
        .execute(
            Tuple.tuple()
                .addString(status)
                .addString(kind)
                .addString(afterTime)
                .addString(afterId)
                .addInteger(limit + 1))
        .map(
            rows -> {
              List<ExceptionEntry> items = new ArrayList<>();
              rows.forEach(row -> items.add(ExceptionEntry.fromRow(row)));
              return Page.of(
                  items, limit, e -> new String[] {e.recordedAt().toString(), e.id().toString()});
            });
  }
}
