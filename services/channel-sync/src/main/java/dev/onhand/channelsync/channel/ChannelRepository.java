package dev.onhand.channelsync.channel;

import dev.onhand.platform.api.Page;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class ChannelRepository {
  private static final String SELECT =
      "SELECT c.*, coalesce((SELECT array_agg(cl.location ORDER BY cl.rank) FROM channel_location"
          + " cl WHERE cl.channel = c.code), '{}') AS locations FROM channel c";

  public Uni<Channel> find(SqlClient sql, String code) {
    return sql.preparedQuery(SELECT + " WHERE c.code = $1")
        .execute(Tuple.of(code))
        .map(rows -> rows.size() == 0 ? null : Channel.fromRow(rows.iterator().next()));
  }

  /** The channel, its row locked until the caller's transaction ends; null when there is none. */
  public Uni<Channel> lock(SqlClient sql, String code) {
    return sql.preparedQuery(SELECT + " WHERE c.code = $1 FOR UPDATE OF c")
        .execute(Tuple.of(code))
        .map(rows -> rows.size() == 0 ? null : Channel.fromRow(rows.iterator().next()));
  }

  public Uni<Page<Channel>> list(SqlClient sql, String after, int limit) {
    return sql.preparedQuery(SELECT + " WHERE c.code > $1 ORDER BY c.code LIMIT $2")
        .execute(Tuple.of(after == null ? "" : after, limit + 1))
        .map(
            rows -> {
              List<Channel> items = new ArrayList<>();
              rows.forEach(row -> items.add(Channel.fromRow(row)));
              return Page.of(items, limit, c -> new String[] {c.code()});
            });
  }

  /** Writes the channel as requested, its locations ranked in the order given. */
  public Uni<Channel> upsert(SqlClient sql, String code, Channel.Normalized channel) {
    return sql.preparedQuery(
            "INSERT INTO channel (code, type, endpoint, credentials, settings, allow_split,"
                + " buffer_units, allocation_percent, maximum) VALUES ($1, $2, $3, $4, $5, $6,"
                + " $7, $8, $9) ON CONFLICT (code) DO UPDATE SET type = excluded.type, endpoint ="
                + " excluded.endpoint, credentials = excluded.credentials, settings ="
                + " excluded.settings, allow_split = excluded.allow_split, buffer_units ="
                + " excluded.buffer_units, allocation_percent = excluded.allocation_percent,"
                + " maximum = excluded.maximum, updated_at = clock_timestamp()")
        .execute(
            Tuple.tuple()
                .addString(code)
                .addString(channel.type().name())
                .addString(channel.endpoint())
                .addValue(json(channel.credentials()))
                .addValue(json(channel.settings()))
                .addBoolean(channel.allowSplit())
                .addLong(channel.bufferUnits())
                .addInteger(channel.allocationPercent())
                .addLong(channel.maximum()))
        .chain(
            () ->
                sql.preparedQuery("DELETE FROM channel_location WHERE channel = $1")
                    .execute(Tuple.of(code)))
        .chain(
            () ->
                sql.preparedQuery(
                        "INSERT INTO channel_location (channel, location, rank) SELECT $1::text,"
                            + " l.location, l.rank - 1 FROM unnest($2::text[]) WITH ORDINALITY"
                            + " AS l(location, rank)")
                    .execute(Tuple.of(code, channel.eligibleLocations().toArray(String[]::new))))
        .chain(() -> find(sql, code));
  }

  private static JsonObject json(Map<String, String> map) {
    JsonObject json = new JsonObject();
    map.forEach(json::put);
    return json;
  }
}
