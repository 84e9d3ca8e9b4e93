package dev.onhand.channelsync.sellable;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes the sellable quantity of listings and records a new version of (channel, SKU) whenever
 * it changes, in the caller's transaction. The push worker takes it from there. Listings are locked
 * (in channel, SKU order, whoever asks) before their pool is read, so two transactions that change
 * one SKU's stock or one channel's rules compute one after the other and the later one sees the
 * earlier's result.
 */
@ApplicationScoped
public class ChannelQuantities {
  private static final String COMPUTE =
      "SELECT l.channel, l.sku, l.buffer_units AS listing_buffer, l.maximum AS listing_maximum,"
          + " l.fixed_quantity, c.buffer_units, c.allocation_percent, c.maximum,"
          + " coalesce((SELECT sum(s.available) FROM stock_level s JOIN channel_location cl ON"
          + " cl.location = s.location WHERE cl.channel = l.channel AND s.sku = l.sku), 0)::bigint"
          + " AS pool FROM listing l JOIN channel c ON c.code = l.channel WHERE ";
  private static final String LOCK = " ORDER BY l.channel, l.sku FOR UPDATE OF l";

  /**
   * Inserts a first version, or bumps the version where the quantity changed (or always, when
   * forced). A change is due at once, unless the row's next attempt lies later: the coalescing
   * window after its last push (set when the push is recorded) or a retry's wait. So a single
   * change leaves at the next round, and a burst leaves as one push per window; later changes of a
   * pending row do not postpone it.
   */
  private static final String RECORD =
      "INSERT INTO channel_quantity (channel, sku, quantity, version, changed_at, next_attempt_at)"
          + " SELECT v.channel, v.sku, v.quantity, 1, $4::timestamptz, clock_timestamp() FROM"
          + " unnest($1::text[], $2::text[], $3::int8[]) AS"
          + " v(channel, sku, quantity) ON CONFLICT (channel, sku) DO UPDATE SET quantity ="
          + " excluded.quantity, version = channel_quantity.version + 1, changed_at ="
          + " excluded.changed_at, next_attempt_at = CASE WHEN channel_quantity.version >"
          + " channel_quantity.sent_version THEN channel_quantity.next_attempt_at ELSE"
          + " greatest(channel_quantity.next_attempt_at, excluded.next_attempt_at) END WHERE"
          + " channel_quantity.quantity <> excluded.quantity OR $5::boolean";

  /** After stock changed at {@code location}: the SKU's listings on channels that sell from it. */
  public Uni<Void> stockChanged(
      SqlClient sql, String sku, String location, OffsetDateTime changedAt) {
    return compute(
            sql,
            "l.sku = $1 AND EXISTS (SELECT 1 FROM channel_location e WHERE e.channel = l.channel"
                + " AND e.location = $2)",
            Tuple.of(sku, location))
        .chain(computed -> record(sql, computed, changedAt, false));
  }

  /** After a channel's rules changed: every listing of the channel. */
  public Uni<Void> channelChanged(
      SqlClient sql, String channel, OffsetDateTime changedAt, boolean force) {
    return compute(sql, "l.channel = $1", Tuple.of(channel))
        .chain(computed -> record(sql, computed, changedAt, force));
  }

  /** After a listing was created or changed. */
  public Uni<Void> listingChanged(
      SqlClient sql, String channel, String sku, OffsetDateTime changedAt, boolean force) {
    return compute(sql, "l.channel = $1 AND l.sku = $2", Tuple.of(channel, sku))
        .chain(computed -> record(sql, computed, changedAt, force));
  }

  private record Computed(String channel, String sku, long quantity) {}

  private Uni<List<Computed>> compute(SqlClient sql, String where, Tuple args) {
    return sql.preparedQuery(COMPUTE + where + LOCK)
        .execute(args)
        .map(
            rows -> {
              List<Computed> computed = new ArrayList<>();
              for (Row row : rows) {
                Long listingBuffer = row.getLong("listing_buffer");
                Long listingMaximum = row.getLong("listing_maximum");
                SellableQuantity.Rules rules =
                    new SellableQuantity.Rules(
                        listingBuffer != null ? listingBuffer : row.getLong("buffer_units"),
                        row.getInteger("allocation_percent"),
                        listingMaximum != null ? listingMaximum : row.getLong("maximum"),
                        row.getLong("fixed_quantity"));
                computed.add(
                    new Computed(
                        row.getString("channel"),
                        row.getString("sku"),
                        SellableQuantity.of(row.getLong("pool"), rules)));
              }
              return computed;
            });
  }

  private Uni<Void> record(
      SqlClient sql, List<Computed> computed, OffsetDateTime changedAt, boolean force) {
    if (computed.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return sql.preparedQuery(RECORD)
        .execute(
            Tuple.tuple()
                .addArrayOfString(computed.stream().map(Computed::channel).toArray(String[]::new))
                .addArrayOfString(computed.stream().map(Computed::sku).toArray(String[]::new))
                .addArrayOfLong(computed.stream().map(Computed::quantity).toArray(Long[]::new))
                .addOffsetDateTime(changedAt)
                .addBoolean(force))
        .replaceWithVoid();
  }
}
