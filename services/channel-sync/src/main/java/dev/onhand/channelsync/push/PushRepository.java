package dev.onhand.channelsync.push;

import dev.onhand.channelsync.adapter.ChannelType;
import dev.onhand.channelsync.adapter.PushResult;
import dev.onhand.platform.api.Page;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The push state of (channel, SKU) rows: claims, outcomes, push records and dead letters. */
@ApplicationScoped
public class PushRepository {
  private final Pool pool;

  public PushRepository(Pool pool) {
    this.pool = pool;
  }

  /** A row taken for one push: the newest version, which the channel has not applied. */
  public record Claimed(
      String channel,
      String sku,
      String listingId,
      long quantity,
      long version,
      Long sentQuantity,
      int attempts,
      OffsetDateTime changedAt) {}

  /**
   * Takes due rows for a lease: rows locked by another replica's claim are skipped, and a claimed
   * row is not taken again until its outcome is recorded or the lease runs out (a replica that died
   * mid-push). Only rows whose version is newer than the one the channel applied are due.
   */
  public Uni<List<Claimed>> claim(Set<ChannelType> types, int limit, Duration lease) {
    return pool.withTransaction(
        sql ->
            sql.preparedQuery(
                    "UPDATE channel_quantity q SET claimed_until = clock_timestamp() +"
                        + " make_interval(secs => $1) FROM listing l WHERE l.channel = q.channel"
                        + " AND l.sku = q.sku AND (q.channel, q.sku) IN (SELECT d.channel, d.sku"
                        + " FROM channel_quantity d JOIN channel c ON c.code = d.channel WHERE"
                        + " d.version > d.sent_version AND d.dead_lettered_at IS NULL AND"
                        + " d.next_attempt_at <= clock_timestamp() AND (d.claimed_until IS NULL OR"
                        + " d.claimed_until < clock_timestamp()) AND c.type = ANY($2) ORDER BY"
                        + " d.next_attempt_at LIMIT $3 FOR UPDATE OF d SKIP LOCKED) RETURNING"
                        + " q.channel, q.sku, l.listing_id, q.quantity, q.version,"
                        + " q.sent_quantity, q.attempts, q.changed_at")
                .execute(
                    Tuple.of(
                        lease.toMillis() / 1000.0,
                        types.stream().map(Enum::name).toArray(String[]::new),
                        limit))
                .map(
                    rows -> {
                      List<Claimed> claimed = new ArrayList<>();
                      for (Row row : rows) {
                        claimed.add(
                            new Claimed(
                                row.getString("channel"),
                                row.getString("sku"),
                                row.getString("listing_id"),
                                row.getLong("quantity"),
                                row.getLong("version"),
                                row.getLong("sent_quantity"),
                                row.getInteger("attempts"),
                                row.getOffsetDateTime("changed_at")));
                      }
                      return claimed;
                    }));
  }

  /** One push and what came of it, as recorded. */
  public record Outcome(
      Claimed claimed,
      PushResult result,
      Long latencyMillis,
      Duration retryIn,
      boolean deadLetter,
      Long channelHolds,
      boolean countsAsAttempt) {}

  public Uni<Void> record(SqlClient sql, Outcome outcome, Duration coalesce) {
    Claimed c = outcome.claimed();
    PushResult r = outcome.result();
    Uni<?> update;
    if (r.outcome() == PushResult.Outcome.APPLIED) {
      // the version check at record time: an answer older than what the channel already applied
      // changes nothing of what Onhand believes the channel holds
      update =
          sql.preparedQuery(
                  "UPDATE channel_quantity SET sent_quantity = CASE WHEN sent_version < $3 THEN $4"
                      + " ELSE sent_quantity END, sent_at = CASE WHEN sent_version < $3 THEN"
                      + " clock_timestamp() ELSE sent_at END, sent_version = greatest(sent_version,"
                      + " $3), attempts = 0, last_error = NULL, last_http_status = $5,"
                      + " claimed_until = NULL, next_attempt_at = clock_timestamp() +"
                      + " make_interval(secs => $6) WHERE channel = $1 AND sku = $2")
              .execute(
                  Tuple.tuple()
                      .addString(c.channel())
                      .addString(c.sku())
                      .addLong(c.version())
                      .addLong(c.quantity())
                      .addInteger(r.httpStatus())
                      .addDouble(coalesce.toMillis() / 1000.0));
    } else {
      update =
          sql.preparedQuery(
                  "UPDATE channel_quantity SET attempts = attempts + $10, last_error = $3,"
                      + " last_http_status = $4, claimed_until = NULL, next_attempt_at ="
                      + " clock_timestamp() + make_interval(secs => $5), dead_lettered_at = CASE"
                      + " WHEN $6 AND sent_version < $7 THEN clock_timestamp() ELSE"
                      + " dead_lettered_at END, sent_quantity = CASE WHEN $8 THEN $9 ELSE"
                      + " sent_quantity END WHERE channel = $1 AND sku = $2")
              .execute(
                  Tuple.tuple()
                      .addString(c.channel())
                      .addString(c.sku())
                      .addString(excerpt(r.outcome() + ": " + r.response()))
                      .addInteger(r.httpStatus())
                      .addDouble(outcome.retryIn().toMillis() / 1000.0)
                      .addBoolean(outcome.deadLetter())
                      .addLong(c.version())
                      .addBoolean(r.outcome() == PushResult.Outcome.COMPARE_FAILED)
                      .addLong(outcome.channelHolds())
                      .addInteger(outcome.countsAsAttempt() ? 1 : 0));
    }
    return update
        .chain(
            () ->
                sql.preparedQuery(
                        "INSERT INTO push_record (channel, sku, version, quantity, attempt,"
                            + " outcome, http_status, response, latency_ms) VALUES ($1, $2, $3,"
                            + " $4, $5, $6, $7, $8, $9)")
                    .execute(
                        Tuple.tuple()
                            .addString(c.channel())
                            .addString(c.sku())
                            .addLong(c.version())
                            .addLong(c.quantity())
                            .addInteger(c.attempts() + 1)
                            .addString(r.outcome().name())
                            .addInteger(r.httpStatus())
                            .addString(excerpt(r.response()))
                            .addLong(outcome.latencyMillis())))
        .replaceWithVoid();
  }

  static String excerpt(String text) {
    if (text == null) {
      return null;
    }
    return text.length() > 500 ? text.substring(0, 500) : text;
  }

  // --- dead letters ---

  public Uni<Page<ChannelDeadLetter>> deadLetters(String channel, String after, int limit) {
    return pool.preparedQuery(
            "SELECT q.*, l.listing_id FROM channel_quantity q JOIN listing l ON l.channel ="
                + " q.channel AND l.sku = q.sku WHERE q.channel = $1 AND q.dead_lettered_at IS"
                + " NOT NULL AND q.sku > $2 ORDER BY q.sku LIMIT $3")
        .execute(Tuple.of(channel, after == null ? "" : after, limit + 1))
        .map(
            rows -> {
              List<ChannelDeadLetter> items = new ArrayList<>();
              rows.forEach(row -> items.add(ChannelDeadLetter.fromRow(row)));
              return Page.of(items, limit, d -> new String[] {d.sku()});
            });
  }

  /** Makes dead-lettered rows due again now, with a fresh count of attempts; their SKUs. */
  public Uni<List<String>> replay(SqlClient sql, String channel, List<String> skus) {
    return sql.preparedQuery(
            "UPDATE channel_quantity SET dead_lettered_at = NULL, attempts = 0, next_attempt_at ="
                + " clock_timestamp(), claimed_until = NULL WHERE channel = $1 AND"
                + " dead_lettered_at IS NOT NULL AND ($2::text[] IS NULL OR sku = ANY($2))"
                + " RETURNING sku")
        .execute(Tuple.of(channel, skus == null ? null : skus.toArray(String[]::new)))
        .map(
            rows -> {
              List<String> replayed = new ArrayList<>();
              rows.forEach(row -> replayed.add(row.getString("sku")));
              replayed.sort(null);
              return replayed;
            });
  }

  /** Rows waiting for a push and rows dead-lettered, over every channel (for the gauges). */
  public Uni<long[]> backlog() {
    return pool.preparedQuery(
            "SELECT count(*) FILTER (WHERE dead_lettered_at IS NULL) AS pending, count(*) FILTER"
                + " (WHERE dead_lettered_at IS NOT NULL) AS dead FROM channel_quantity WHERE"
                + " version > sent_version")
        .execute()
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new long[] {row.getLong("pending"), row.getLong("dead")};
            });
  }

  /** Forgets push records older than {@code retention}. */
  public Uni<Void> purge(Duration retention) {
    return pool.preparedQuery(
            "DELETE FROM push_record WHERE pushed_at < clock_timestamp() - make_interval(secs =>"
                + " $1)")
        .execute(Tuple.of((double) retention.toSeconds()))
        .replaceWithVoid();
  }
}
