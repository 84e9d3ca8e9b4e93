package dev.onhand.stock.count;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Inventory record accuracy: of the count lines whose results were recorded in [from, to), the
 * share whose variance was within tolerance. Lines of rejected counts do not count: a rejected
 * count was judged wrong, not the record.
 */
@ApplicationScoped
public class CountAccuracy {
  private static final String COUNTED_LINES =
      "SELECT c.location, cl.sku, cl.within_tolerance FROM cycle_count c"
          + " JOIN cycle_count_line cl ON cl.count_id = c.id"
          + " WHERE c.results_at >= $2 AND c.results_at < $3 AND c.status <> 'REJECTED'"
          + " AND cl.counted IS NOT NULL";

  private final Pool pool;

  public CountAccuracy(Pool pool) {
    this.pool = pool;
  }

  /**
   * The accuracy of one location over a period; {@code accuracy} is null when nothing was counted.
   */
  @Schema(name = "CountAccuracy")
  public record Figures(
      String location,
      OffsetDateTime from,
      OffsetDateTime to,
      long countedSkus,
      long withinTolerance,
      Double accuracy) {}

  /** Count lines of one SKU: how many were counted and how many of them were within tolerance. */
  public record Tally(long counted, long withinTolerance) {
    public Double accuracy() {
      return ratio(withinTolerance, counted);
    }
  }

  /** One entry per location (or only {@code location}'s; none if it does not exist), by code. */
  public Uni<List<Figures>> byLocation(String location, OffsetDateTime from, OffsetDateTime to) {
    return pool.preparedQuery(
            "SELECT l.code, count(x.sku) AS counted, count(x.sku) FILTER (WHERE x.within_tolerance)"
                + " AS within FROM location l LEFT JOIN ("
                + COUNTED_LINES
                + ") x ON x.location = l.code WHERE ($1::text IS NULL OR l.code = $1::text)"
                + " GROUP BY l.code ORDER BY l.code")
        .execute(Tuple.of(location, from, to))
        .map(
            rows -> {
              List<Figures> figures = new ArrayList<>();
              for (Row row : rows) {
                long counted = row.getLong("counted");
                long within = row.getLong("within");
                figures.add(
                    new Figures(
                        row.getString("code"), from, to, counted, within, ratio(within, counted)));
              }
              return figures;
            });
  }

  /** The count lines of one SKU at {@code location} (null: every location) in [from, to). */
  public Uni<Tally> forSku(String sku, String location, OffsetDateTime from, OffsetDateTime to) {
    return pool.preparedQuery(
            "SELECT count(*) AS counted, count(*) FILTER (WHERE x.within_tolerance) AS within FROM ("
                + COUNTED_LINES
                + ") x WHERE x.sku = $4::text AND ($1::text IS NULL OR x.location = $1::text)")
        .execute(Tuple.of(location, from, to, sku))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new Tally(row.getLong("counted"), row.getLong("within"));
            });
  }

  private static Double ratio(long within, long counted) {
    return counted == 0
        ? null
        : BigDecimal.valueOf(within)
            .divide(BigDecimal.valueOf(counted), 4, RoundingMode.HALF_UP)
            .doubleValue();
  }
}
