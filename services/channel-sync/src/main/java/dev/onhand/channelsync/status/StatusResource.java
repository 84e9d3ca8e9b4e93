package dev.onhand.channelsync.status;

import dev.onhand.platform.api.Identifiers;
import dev.onhand.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

@Path("/api/v1/channels/{code}/status")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "channels")
public class StatusResource {
  private static final String HOUR = "pushed_at > clock_timestamp() - interval '1 hour'";
  private static final String PENDING =
      "channel = $1 AND version > sent_version AND dead_lettered_at IS NULL";
  private static final String STATUS =
      "SELECT (SELECT max(pushed_at) FROM push_record WHERE channel = $1) AS last_push_at,"
          + " (SELECT max(pushed_at) FROM push_record WHERE channel = $1 AND outcome = 'APPLIED')"
          + " AS last_applied_at,"
          + " (SELECT count(*) FROM channel_quantity WHERE "
          + PENDING
          + ") AS pending,"
          + " (SELECT coalesce(extract(epoch FROM clock_timestamp() - min(changed_at)) * 1000, 0)"
          + "::bigint FROM channel_quantity WHERE "
          + PENDING
          + ") AS lag_ms,"
          + " (SELECT count(*) FROM channel_quantity WHERE channel = $1 AND dead_lettered_at IS"
          + " NOT NULL) AS dead_lettered,"
          + " (SELECT count(*) FROM push_record WHERE channel = $1 AND "
          + HOUR
          + ") AS pushes,"
          + " (SELECT count(*) FROM push_record WHERE channel = $1 AND outcome <> 'APPLIED' AND "
          + HOUR
          + ") AS errors,"
          + " (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FROM push_record"
          + " WHERE channel = $1 AND outcome = 'APPLIED' AND "
          + HOUR
          + ") AS p50,"
          + " (SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) FROM push_record"
          + " WHERE channel = $1 AND outcome = 'APPLIED' AND "
          + HOUR
          + ") AS p99,"
          + " r.id AS reconciliation_id, r.drifted, r.corrected, r.finished_at AS reconciled_at"
          + " FROM channel LEFT JOIN LATERAL (SELECT id, drifted, corrected, finished_at FROM"
          + " reconciliation WHERE channel = $1 AND status = 'COMPLETED' ORDER BY finished_at DESC"
          + " LIMIT 1) r ON true WHERE code = $1";

  private final Pool pool;

  public StatusResource(Pool pool) {
    this.pool = pool;
  }

  @GET
  @Operation(
      summary = "How the channel's sync stands",
      description =
          "Last push, SKUs waiting and how long the oldest has waited, dead letters, errors and"
              + " sync latency (stock's change to the channel's APPLIED answer) over the last"
              + " hour; the drift the last completed reconciliation found.")
  public Uni<ChannelStatus> get(
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String code) {
    return pool.preparedQuery(STATUS)
        .execute(Tuple.of(code))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw ProblemException.notFound("CHANNEL_NOT_FOUND", "No channel " + code + ".");
              }
              Row row = rows.iterator().next();
              return new ChannelStatus(
                  code,
                  row.getOffsetDateTime("last_push_at"),
                  row.getOffsetDateTime("last_applied_at"),
                  row.getLong("pending"),
                  row.getLong("lag_ms"),
                  row.getLong("dead_lettered"),
                  row.getLong("pushes"),
                  row.getLong("errors"),
                  rounded(row.getDouble("p50")),
                  rounded(row.getDouble("p99")),
                  row.getUUID("reconciliation_id") == null
                      ? null
                      : new ChannelStatus.Drift(
                          row.getInteger("drifted"),
                          row.getInteger("corrected"),
                          row.getUUID("reconciliation_id"),
                          row.getOffsetDateTime("reconciled_at")));
            });
  }

  private static Long rounded(Double millis) {
    return millis == null ? null : Math.round(millis);
  }
}
