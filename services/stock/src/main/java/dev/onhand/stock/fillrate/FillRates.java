package dev.onhand.stock.fillrate;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;

/**
 * Fill rate = order lines filled from stock at their first allocation / all order lines, from
 * fulfillment's announcements ({@code fulfillment.order.allocated}, kept in {@code
 * order_line_fill}). A line counts in the period its first allocation was decided in ({@code
 * allocatedAt} in [from, to)), whatever its quantity.
 *
 * <p>Which lines a location counts: each line carries the location its first allocation asked stock
 * to reserve it at (for a line split across locations, the one asked for most units). A line
 * backordered whole was asked nowhere and has no location.
 *
 * <ul>
 *   <li>Without a location: every line of the SKU, filled or not, backordered whole included.
 *   <li>With a location: only the lines whose first allocation asked that location: filled there,
 *       or not filled although asked there (only part of the line was free there, or stock refused
 *       the reservation). Lines backordered whole count at no location, only in the rate without
 *       one; so the rates of the locations do not add up to the SKU's rate, and a location's rate
 *       says how often the lines sent to it were filled, not how often the SKU was short.
 * </ul>
 */
@ApplicationScoped
public class FillRates {
  private final Pool pool;

  public FillRates(Pool pool) {
    this.pool = pool;
  }

  /** The fill rate of {@code sku} at {@code location} (null: every location) over [from, to). */
  public Uni<FillRate> forSku(String sku, String location, OffsetDateTime from, OffsetDateTime to) {
    return pool.preparedQuery(
            "SELECT count(*) AS lines, count(*) FILTER (WHERE filled) AS filled FROM"
                + " order_line_fill WHERE sku = $1 AND ($2::text IS NULL OR location = $2) AND"
                + " allocated_at >= $3 AND allocated_at < $4")
        .execute(Tuple.of(sku, location, from, to))
        .map(rows -> rate(sku, location, from, to, rows.iterator().next()));
  }

  private static FillRate rate(
      String sku, String location, OffsetDateTime from, OffsetDateTime to, Row row) {
    long lines = row.getLong("lines");
    long filled = row.getLong("filled");
    Double rate =
        lines == 0
            ? null
            : BigDecimal.valueOf(filled)
                .divide(BigDecimal.valueOf(lines), 4, RoundingMode.HALF_UP)
                .doubleValue();
    return new FillRate(sku, location, from, to, lines, filled, rate);
  }
}
