package dev.onhand.stock.location;

import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;

/**
 * A place that holds stock. An {@code authoritative} location (FBA, a 3PL that owns the count) is
 * mirrored from its snapshots and reconciled against them, never pushed to.
 */
public record Location(
    String code,
    String name,
    LocationType type,
    boolean authoritative,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  static Location fromRow(Row row) {
    return new Location(
        row.getString("code"),
        row.getString("name"),
        LocationType.valueOf(row.getString("type")),
        row.getBoolean("authoritative"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"));
  }
}
