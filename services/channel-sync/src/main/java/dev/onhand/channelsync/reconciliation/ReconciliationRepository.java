package dev.onhand.channelsync.reconciliation;

import dev.onhand.channelsync.reconciliation.Reconciliation.Line;
import dev.onhand.channelsync.reconciliation.Reconciliation.State;
import dev.onhand.channelsync.reconciliation.Reconciliation.Trigger;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reconciliation runs and their lines, and what they read of the push state. */
@ApplicationScoped
public class ReconciliationRepository {

  public Uni<Void> insert(SqlClient sql, UUID id, String channel, Trigger trigger) {
    return sql.preparedQuery(
            "INSERT INTO reconciliation (id, channel, trigger, status) VALUES ($1, $2, $3,"
                + " 'RUNNING')")
        .execute(Tuple.of(id, channel, trigger.name()))
        .replaceWithVoid();
  }

  /** Every listing of the channel with its push state, by listing id (in SKU order). */
  public Uni<Map<String, Findings.Known>> known(SqlClient sql, String channel) {
    return sql.preparedQuery(
            "SELECT l.sku, l.listing_id, q.quantity, coalesce(q.version, 0) AS version,"
                + " coalesce(q.sent_version, 0) AS sent_version, q.sent_quantity,"
                + " q.dead_lettered_at IS NOT NULL AS dead_lettered FROM listing l LEFT JOIN"
                + " channel_quantity q ON q.channel = l.channel AND q.sku = l.sku WHERE"
                + " l.channel = $1 ORDER BY l.sku")
        .execute(Tuple.of(channel))
        .map(
            rows -> {
              Map<String, Findings.Known> known = new LinkedHashMap<>();
              for (Row row : rows) {
                Findings.Known k =
                    new Findings.Known(
                        row.getString("sku"),
                        row.getString("listing_id"),
                        row.getLong("quantity"),
                        row.getLong("version"),
                        row.getLong("sent_version"),
                        row.getLong("sent_quantity"),
                        row.getBoolean("dead_lettered"));
                known.put(k.listingId(), k);
              }
              return known;
            });
  }

  /**
   * Before a drifted listing is pushed again: records that the channel holds {@code observed} (the
   * next push's compare-and-set expects it), only while no push is in flight; whether it was.
   */
  public Uni<Boolean> channelHolds(
      SqlClient sql, String channel, String sku, long version, long observed) {
    return sql.preparedQuery(
            "UPDATE channel_quantity SET sent_quantity = $4 WHERE channel = $1 AND sku = $2 AND"
                + " version = $3 AND sent_version = version AND dead_lettered_at IS NULL")
        .execute(Tuple.of(channel, sku, version, observed))
        .map(rows -> rows.rowCount() == 1);
  }

  public Uni<Void> lines(SqlClient sql, UUID id, List<Line> lines) {
    if (lines.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return sql.preparedQuery(
            "INSERT INTO reconciliation_line (reconciliation_id, sku, listing_id,"
                + " channel_quantity, expected, computed, state, corrected) VALUES ($1, $2, $3, $4,"
                + " $5, $6, $7, $8)")
        .executeBatch(
            lines.stream()
                .map(
                    l ->
                        Tuple.tuple()
                            .addUUID(id)
                            .addString(l.sku())
                            .addString(l.listingId())
                            .addLong(l.channelQuantity())
                            .addLong(l.expected())
                            .addLong(l.computed())
                            .addString(l.state().name())
                            .addBoolean(l.corrected()))
                .toList())
        .replaceWithVoid();
  }

  public Uni<Void> completed(SqlClient sql, UUID id, List<Line> lines, int snapshots) {
    return sql.preparedQuery(
            "UPDATE reconciliation SET status = 'COMPLETED', finished_at = clock_timestamp(),"
                + " listings = $2, matched = $3, drifted = $4, in_flight = $5, missing = $6,"
                + " unreadable = $7, corrected = $8, snapshots = $9 WHERE id = $1")
        .execute(
            Tuple.tuple()
                .addUUID(id)
                .addInteger(lines.size())
                .addInteger(count(lines, State.MATCH))
                .addInteger(count(lines, State.DRIFT))
                .addInteger(count(lines, State.IN_FLIGHT))
                .addInteger(count(lines, State.MISSING))
                .addInteger(count(lines, State.UNREADABLE))
                .addInteger((int) lines.stream().filter(Line::corrected).count())
                .addInteger(snapshots))
        .replaceWithVoid();
  }

  public Uni<Void> failed(SqlClient sql, UUID id, String error) {
    return sql.preparedQuery(
            "UPDATE reconciliation SET status = 'FAILED', finished_at = clock_timestamp(), error"
                + " = $2 WHERE id = $1 AND status = 'RUNNING'")
        .execute(Tuple.of(id, error.length() > 500 ? error.substring(0, 500) : error))
        .replaceWithVoid();
  }

  /** A reconciliation of the channel with its lines (in SKU order); null when there is none. */
  public Uni<Reconciliation> find(SqlClient sql, String channel, UUID id) {
    return sql.preparedQuery("SELECT * FROM reconciliation WHERE id = $1 AND channel = $2")
        .execute(Tuple.of(id, channel))
        .chain(
            rows -> {
              if (rows.size() == 0) {
                return Uni.createFrom().nullItem();
              }
              Row run = rows.iterator().next();
              return sql.preparedQuery(
                      "SELECT * FROM reconciliation_line WHERE reconciliation_id = $1 ORDER BY sku")
                  .execute(Tuple.of(id))
                  .map(
                      lineRows -> {
                        List<Line> lines = new ArrayList<>();
                        lineRows.forEach(row -> lines.add(Line.fromRow(row)));
                        return Reconciliation.fromRow(run, lines);
                      });
            });
  }

  /** Every channel's code, for the scheduled run. */
  public Uni<List<String>> channels(SqlClient sql) {
    return sql.preparedQuery("SELECT code FROM channel ORDER BY code")
        .execute()
        .map(
            rows -> {
              List<String> codes = new ArrayList<>();
              rows.forEach(row -> codes.add(row.getString("code")));
              return codes;
            });
  }

  private static int count(List<Line> lines, State state) {
    return (int) lines.stream().filter(l -> l.state() == state).count();
  }
}
