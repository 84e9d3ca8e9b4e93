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
import java.util.Comparator;
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
   * mid-push). Only rows whose version is newer than the one the channel applied are due. Rows of
   * the channels in {@code busy} (this replica is pushing to them now) are left for a later claim.
   */
  public Uni<List<Claimed>> claim(
      Set<ChannelType> types, Set<String> busy, int limit, Duration lease) {
    return pool.withTransaction(
        sql ->
            sql.preparedQuery(
                    "UPDATE channel_quantity q SET claimed_until = clock_timestamp() +"
                        + " make_interval(secs => $1) FROM listing l WHERE l.channel = q.channel"
                        + " AND l.sku = q.sku AND (q.channel, q.sku) IN (SELECT d.channel, d.sku"
                        + " FROM channel_quantity d JOIN channel c ON c.code = d.channel WHERE"
                        + " d.version > d.sent_version AND d.dead_lettered_at IS NULL AND"
                        + " d.next_attempt_at <= clock_timestamp() AND (d.claimed_until IS NULL OR"
                        + " d.claimed_until < clock_timestamp()) AND c.type = ANY($2) AND"
                        + " d.channel <> ALL($4) ORDER BY d.next_attempt_at LIMIT $3 FOR UPDATE OF"
                        + " d SKIP LOCKED) RETURNING"
                        + " q.channel, q.sku, l.listing_id, q.quantity, q.version,"
                        + " q.sent_quantity, q.attempts, q.changed_at")
                .execute(
                    Tuple.of(
                        lease.toMillis() / 1000.0,
                        types.stream().map(Enum::name).toArray(String[]::new),
                        limit,
                        busy.toArray(String[]::new)))
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

  /**
   * Records a batch of outcomes in three statements whatever its size (the worker's rounds were
   * spending most of their time on two round trips per push). Rows are updated in SKU order, as the
   * stock consumer locks them.
   */
  public Uni<Void> recordAll(SqlClient sql, List<Outcome> outcomes, Duration coalesce) {
    List<Outcome> sorted = new ArrayList<>(outcomes);
    sorted.sort(
        Comparator.comparing((Outcome o) -> o.claimed().channel())
            .thenComparing(o -> o.claimed().sku()));
    List<Outcome> applied =
        sorted.stream().filter(o -> o.result().outcome() == PushResult.Outcome.APPLIED).toList();
    List<Outcome> others =
        sorted.stream().filter(o -> o.result().outcome() != PushResult.Outcome.APPLIED).toList();
    return recordApplied(sql, applied, coalesce)
        .chain(() -> recordOthers(sql, others))
        .chain(() -> recordPushes(sql, sorted));
  }

  /**
   * The version check at record time: an answer older than what the channel already applied changes
   * nothing of what Onhand believes the channel holds.
   */
  private static final String RECORD_APPLIED =
      "UPDATE channel_quantity q SET sent_quantity = CASE WHEN q.sent_version < v.version THEN"
          + " v.quantity ELSE q.sent_quantity END, sent_at = CASE WHEN q.sent_version < v.version"
          + " THEN clock_timestamp() ELSE q.sent_at END, sent_version = greatest(q.sent_version,"
          + " v.version), attempts = 0, last_error = NULL, last_http_status = v.http_status,"
          + " claimed_until = NULL, next_attempt_at = clock_timestamp() + make_interval(secs =>"
          + " $6) FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::int4[]) AS"
          + " v(channel, sku, version, quantity, http_status) WHERE q.channel ="
          + " v.channel AND q.sku = v.sku";

  private static final String RECORD_OTHERS =
      "UPDATE channel_quantity q SET attempts = q.attempts + v.counts, last_error = v.error,"
          + " last_http_status = v.http_status, claimed_until = NULL, next_attempt_at ="
          + " clock_timestamp() + make_interval(secs => v.retry_in), dead_lettered_at = CASE WHEN"
          + " v.dead AND q.sent_version < v.version THEN clock_timestamp() ELSE"
          + " q.dead_lettered_at END, sent_quantity = CASE WHEN v.compare_failed THEN v.holds"
          + " ELSE q.sent_quantity END FROM unnest($1::text[], $2::text[], $3::text[],"
          + " $4::int4[], $5::float8[], $6::bool[], $7::int8[], $8::bool[], $9::int8[],"
          + " $10::int4[]) AS v(channel, sku, error, http_status, retry_in, dead, version,"
          + " compare_failed, holds, counts) WHERE q.channel = v.channel AND q.sku = v.sku";

  private static final String RECORD_PUSHES =
      "INSERT INTO push_record (channel, sku, version, quantity, attempt, outcome, http_status,"
          + " response, latency_ms) SELECT * FROM unnest($1::text[], $2::text[], $3::int8[],"
          + " $4::int8[], $5::int4[], $6::text[], $7::int4[], $8::text[], $9::int8[])";

  private Uni<Void> recordApplied(SqlClient sql, List<Outcome> applied, Duration coalesce) {
    if (applied.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return sql.preparedQuery(RECORD_APPLIED)
        .execute(
            Tuple.tuple()
                .addArrayOfString(
                    applied.stream().map(o -> o.claimed().channel()).toArray(String[]::new))
                .addArrayOfString(
                    applied.stream().map(o -> o.claimed().sku()).toArray(String[]::new))
                .addArrayOfLong(
                    applied.stream().map(o -> o.claimed().version()).toArray(Long[]::new))
                .addArrayOfLong(
                    applied.stream().map(o -> o.claimed().quantity()).toArray(Long[]::new))
                .addArrayOfInteger(
                    applied.stream().map(o -> o.result().httpStatus()).toArray(Integer[]::new))
                .addDouble(coalesce.toMillis() / 1000.0))
        .replaceWithVoid();
  }

  private Uni<Void> recordOthers(SqlClient sql, List<Outcome> others) {
    if (others.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return sql.preparedQuery(RECORD_OTHERS)
        .execute(
            Tuple.tuple()
                .addArrayOfString(
                    others.stream().map(o -> o.claimed().channel()).toArray(String[]::new))
                .addArrayOfString(
                    others.stream().map(o -> o.claimed().sku()).toArray(String[]::new))
                .addArrayOfString(
                    others.stream()
                        .map(o -> excerpt(o.result().outcome() + ": " + o.result().response()))
                        .toArray(String[]::new))
                .addArrayOfInteger(
                    others.stream().map(o -> o.result().httpStatus()).toArray(Integer[]::new))
                .addArrayOfDouble(
                    others.stream()
                        .map(o -> o.retryIn().toMillis() / 1000.0)
                        .toArray(Double[]::new))
                .addArrayOfBoolean(others.stream().map(Outcome::deadLetter).toArray(Boolean[]::new))
                .addArrayOfLong(
                    others.stream().map(o -> o.claimed().version()).toArray(Long[]::new))
                .addArrayOfBoolean(
                    others.stream()
                        .map(o -> o.result().outcome() == PushResult.Outcome.COMPARE_FAILED)
                        .toArray(Boolean[]::new))
                .addArrayOfLong(others.stream().map(Outcome::channelHolds).toArray(Long[]::new))
                .addArrayOfInteger(
                    others.stream().map(o -> o.countsAsAttempt() ? 1 : 0).toArray(Integer[]::new)))
        .replaceWithVoid();
  }

  private Uni<Void> recordPushes(SqlClient sql, List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return sql.preparedQuery(RECORD_PUSHES)
        .execute(
            Tuple.tuple()
                .addArrayOfString(
                    outcomes.stream().map(o -> o.claimed().channel()).toArray(String[]::new))
                .addArrayOfString(
                    outcomes.stream().map(o -> o.claimed().sku()).toArray(String[]::new))
                .addArrayOfLong(
                    outcomes.stream().map(o -> o.claimed().version()).toArray(Long[]::new))
                .addArrayOfLong(
                    outcomes.stream().map(o -> o.claimed().quantity()).toArray(Long[]::new))
                .addArrayOfInteger(
                    outcomes.stream().map(o -> o.claimed().attempts() + 1).toArray(Integer[]::new))
                .addArrayOfString(
                    outcomes.stream().map(o -> o.result().outcome().name()).toArray(String[]::new))
                .addArrayOfInteger(
                    outcomes.stream().map(o -> o.result().httpStatus()).toArray(Integer[]::new))
                .addArrayOfString(
                    outcomes.stream()
                        .map(o -> excerpt(o.result().response()))
                        .toArray(String[]::new))
                .addArrayOfLong(outcomes.stream().map(Outcome::latencyMillis).toArray(Long[]::new)))
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
