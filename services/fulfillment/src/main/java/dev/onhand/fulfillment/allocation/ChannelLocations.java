package dev.onhand.fulfillment.allocation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The locations eligible for a channel's orders, best first. Channel-sync announces them
 * (channel-sync.channel.changed); a channel not announced uses {@code
 * onhand.fulfillment.default-locations}, or, when that is empty, every location stock announced
 * that holds stock for sale (WAREHOUSE, THIRD_PARTY, STORE), by code.
 */
@ApplicationScoped
public class ChannelLocations {
  private final Optional<List<String>> defaultLocations;
  private final boolean defaultAllowSplit;

  public ChannelLocations(
      @ConfigProperty(name = "onhand.fulfillment.default-locations")
          Optional<List<String>> defaultLocations,
      @ConfigProperty(name = "onhand.fulfillment.allow-split", defaultValue = "true")
          boolean defaultAllowSplit) {
    this.defaultLocations = defaultLocations;
    this.defaultAllowSplit = defaultAllowSplit;
  }

  public record Eligibility(List<String> rankedLocations, boolean allowSplit) {}

  public Uni<Eligibility> of(SqlClient sql, String channel) {
    return sql.preparedQuery(
            "SELECT c.allow_split, l.location FROM channel_config c LEFT JOIN channel_location l"
                + " ON l.channel = c.channel WHERE c.channel = $1 ORDER BY l.rank")
        .execute(Tuple.of(channel))
        .chain(
            rows -> {
              if (rows.size() > 0) {
                List<String> locations = new ArrayList<>();
                boolean[] split = {true};
                rows.forEach(
                    row -> {
                      split[0] = row.getBoolean("allow_split");
                      if (row.getString("location") != null) {
                        locations.add(row.getString("location"));
                      }
                    });
                return Uni.createFrom().item(new Eligibility(locations, split[0]));
              }
              if (defaultLocations.isPresent() && !defaultLocations.get().isEmpty()) {
                return Uni.createFrom()
                    .item(new Eligibility(defaultLocations.get(), defaultAllowSplit));
              }
              return sql.preparedQuery(
                      "SELECT code FROM known_location WHERE type IN ('WAREHOUSE', 'THIRD_PARTY',"
                          + " 'STORE') ORDER BY code")
                  .execute()
                  .map(
                      all -> {
                        List<String> locations = new ArrayList<>();
                        all.forEach(row -> locations.add(row.getString("code")));
                        return new Eligibility(locations, defaultAllowSplit);
                      });
            });
  }

  /** Channel-sync's announcement replaces the channel's locations, unless an newer one was seen. */
  public Uni<Void> announced(
      SqlClient sql, String channel, List<String> ranked, boolean allowSplit, OffsetDateTime at) {
    return sql.preparedQuery(
            "INSERT INTO channel_config (channel, allow_split, updated_at) VALUES ($1, $2, $3)"
                + " ON CONFLICT (channel) DO UPDATE SET allow_split = excluded.allow_split,"
                + " updated_at = excluded.updated_at WHERE channel_config.updated_at <="
                + " excluded.updated_at RETURNING channel")
        .execute(Tuple.of(channel, allowSplit, at))
        .chain(
            updated -> {
              if (updated.size() == 0) {
                return Uni.createFrom().voidItem();
              }
              List<Tuple> rows = new ArrayList<>();
              for (int i = 0; i < ranked.size(); i++) {
                rows.add(Tuple.of(channel, i + 1, ranked.get(i)));
              }
              Uni<Void> clear =
                  sql.preparedQuery("DELETE FROM channel_location WHERE channel = $1")
                      .execute(Tuple.of(channel))
                      .replaceWithVoid();
              return rows.isEmpty()
                  ? clear
                  : clear.chain(
                      () ->
                          sql.preparedQuery(
                                  "INSERT INTO channel_location (channel, rank, location) VALUES"
                                      + " ($1, $2, $3)")
                              .executeBatch(rows)
                              .replaceWithVoid());
            });
  }
}
