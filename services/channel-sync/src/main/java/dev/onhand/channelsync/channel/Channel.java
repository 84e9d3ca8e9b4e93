package dev.onhand.channelsync.channel;

import dev.onhand.channelsync.adapter.ChannelType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A sales channel and its rules: the pool is the available units of its eligible locations; the
 * channel is shown max(0, min(maximum, floor(pool × allocationPercent / 100)) − bufferUnits).
 */
@Schema(name = "Channel")
public record Channel(
    String code,
    ChannelType type,
    String endpoint,
    @Schema(description = "Credential name → reference (the values are never stored or shown)")
        Map<String, String> credentials,
    Map<String, String> settings,
    List<String> eligibleLocations,
    boolean allowSplit,
    long bufferUnits,
    int allocationPercent,
    Long maximum,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  /** A row of {@code channel} with its locations aggregated as {@code locations}, best first. */
  static Channel fromRow(Row row) {
    String[] locations = row.getArrayOfStrings("locations");
    return new Channel(
        row.getString("code"),
        ChannelType.valueOf(row.getString("type")),
        row.getString("endpoint"),
        strings(row.getJsonObject("credentials")),
        strings(row.getJsonObject("settings")),
        locations == null ? List.of() : Arrays.asList(locations),
        row.getBoolean("allow_split"),
        row.getLong("buffer_units"),
        row.getInteger("allocation_percent"),
        row.getLong("maximum"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"));
  }

  static Map<String, String> strings(JsonObject json) {
    Map<String, String> map = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return map;
  }

  /** Whether the request asks for exactly this channel (a PUT that changes nothing). */
  boolean sameAs(Normalized request) {
    return type == request.type()
        && endpoint.equals(request.endpoint())
        && credentials.equals(request.credentials())
        && settings.equals(request.settings())
        && eligibleLocations.equals(request.eligibleLocations())
        && allowSplit == request.allowSplit()
        && bufferUnits == request.bufferUnits()
        && allocationPercent == request.allocationPercent()
        && Objects.equals(maximum, request.maximum());
  }

  /** Whether the quantities go somewhere else now, so every listing must be pushed again. */
  boolean destinationChanged(Normalized request) {
    return !endpoint.equals(request.endpoint()) || !settings.equals(request.settings());
  }

  /** A request with its defaults applied. */
  record Normalized(
      ChannelType type,
      String endpoint,
      Map<String, String> credentials,
      Map<String, String> settings,
      List<String> eligibleLocations,
      boolean allowSplit,
      long bufferUnits,
      int allocationPercent,
      Long maximum) {

    static Normalized of(ChannelRequest request) {
      return new Normalized(
          request.type(),
          request.endpoint(),
          request.credentials() == null ? Map.of() : Map.copyOf(request.credentials()),
          request.settings() == null ? Map.of() : Map.copyOf(request.settings()),
          List.copyOf(request.eligibleLocations()),
          request.allowSplit() == null || request.allowSplit(),
          request.bufferUnits() == null ? 0 : request.bufferUnits(),
          request.allocationPercent() == null ? 100 : request.allocationPercent(),
          request.maximum());
    }
  }
}
