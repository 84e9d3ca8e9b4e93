package dev.onhand.platform.reference;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.onhand.platform.inbox.MessageReader;
import dev.onhand.platform.inbox.PermanentMessageFailure;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotNull;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The locations and SKUs stock has announced (tables from {@code db/stock-reference}). A service
 * checks requests against them so one naming something stock does not have is refused at once, not
 * after stock rejects it; the service's consumer of stock's reference events calls {@link #apply}.
 */
@ApplicationScoped
public class StockReferences {
  public static final String LOCATION_CHANGED = "stock.location.changed";
  public static final String ITEM_CHANGED = "stock.item.changed";

  private final MessageReader reader;

  public StockReferences(MessageReader reader) {
    this.reader = reader;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LocationChanged(
      @NotNull String code, @NotNull String type, @NotNull OffsetDateTime updatedAt) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ItemChanged(@NotNull String sku, @NotNull OffsetDateTime updatedAt) {}

  /** Applies stock.location.changed or stock.item.changed in the consumer's unit of work. */
  public Uni<Void> apply(UnitOfWork unit, Envelope envelope) {
    switch (envelope.type()) {
      case LOCATION_CHANGED:
        LocationChanged location = reader.read(envelope, LocationChanged.class);
        return location(unit.sql(), location.code(), location.type(), location.updatedAt());
      case ITEM_CHANGED:
        ItemChanged item = reader.read(envelope, ItemChanged.class);
        return item(unit.sql(), item.sku(), item.updatedAt());
      default:
        throw new PermanentMessageFailure("unexpected message type " + envelope.type());
    }
  }

  /** The type of a known location (WAREHOUSE, THIRD_PARTY, ...), or null. */
  public Uni<String> locationType(SqlClient sql, String code) {
    return sql.preparedQuery("SELECT type FROM known_location WHERE code = $1")
        .execute(Tuple.of(code))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("type"));
  }

  /** Records a location; an older announcement never overwrites a newer one. */
  public Uni<Void> location(SqlClient sql, String code, String type, OffsetDateTime updatedAt) {
    return sql.preparedQuery(
            "INSERT INTO known_location (code, type, updated_at) VALUES ($1, $2, $3)"
                + " ON CONFLICT (code) DO UPDATE SET type = excluded.type, updated_at ="
                + " excluded.updated_at WHERE known_location.updated_at <= excluded.updated_at")
        .execute(Tuple.of(code, type, updatedAt))
        .replaceWithVoid();
  }

  public Uni<Void> item(SqlClient sql, String sku, OffsetDateTime updatedAt) {
    return sql.preparedQuery(
            "INSERT INTO known_item (sku, updated_at) VALUES ($1, $2) ON CONFLICT (sku) DO UPDATE"
                + " SET updated_at = excluded.updated_at WHERE known_item.updated_at <="
                + " excluded.updated_at")
        .execute(Tuple.of(sku, updatedAt))
        .replaceWithVoid();
  }

  /**
   * Refuses with 422 when the location or any SKU is unknown; {@code skus} maps each SKU to the
   * field that names it (e.g. {@code lines[2].sku}). A null location is not checked.
   */
  public Uni<Void> requireKnown(
      SqlClient sql, String locationField, String location, Map<String, String> skus) {
    Uni<Boolean> locationKnown =
        location == null
            ? Uni.createFrom().item(true)
            : sql.preparedQuery("SELECT 1 FROM known_location WHERE code = $1")
                .execute(Tuple.of(location))
                .map(rows -> rows.size() > 0);
    Uni<Set<String>> knownSkus =
        skus.isEmpty()
            ? Uni.createFrom().item(Set.of())
            : sql.preparedQuery("SELECT sku FROM known_item WHERE sku = ANY($1)")
                .execute(Tuple.of(skus.keySet().toArray(String[]::new)))
                .map(
                    rows -> {
                      Set<String> known = new HashSet<>();
                      rows.forEach(row -> known.add(row.getString("sku")));
                      return known;
                    });
    return Uni.combine()
        .all()
        .unis(locationKnown, knownSkus)
        .asTuple()
        .invoke(
            found -> {
              List<FieldError> errors = new ArrayList<>();
              if (!found.getItem1()) {
                errors.add(new FieldError(locationField, "UNKNOWN_LOCATION", "no such location"));
              }
              new LinkedHashMap<>(skus)
                  .forEach(
                      (sku, field) -> {
                        if (!found.getItem2().contains(sku)) {
                          errors.add(new FieldError(field, "UNKNOWN_SKU", "no such item"));
                        }
                      });
              if (!errors.isEmpty()) {
                String code =
                    errors.stream().allMatch(e -> e.code().equals("UNKNOWN_SKU"))
                        ? "UNKNOWN_SKU"
                        : "UNKNOWN_LOCATION";
                throw ProblemException.unprocessable(
                        code,
                        "The request names a location or SKU stock does not know (one created a"
                            + " moment ago reaches receiving within a second; retry then).")
                    .withErrors(errors);
              }
            })
        .replaceWithVoid();
  }
}
