package dev.onhand.stock.metrics;

import dev.onhand.platform.api.Identifiers;
import dev.onhand.platform.api.Period;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.stock.count.CountAccuracy;
import dev.onhand.stock.fillrate.FillRates;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/v1/metrics/inventory")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metrics")
public class MetricsResource {
  private static final String PHYSICAL =
      "('available', 'committed', 'reserved', 'safetyStock', 'qualityControl', 'damaged')";
  private static final double WEEK_SECONDS = 7 * 24 * 3600;

  private final Pool pool;
  private final FillRates fillRates;
  private final CountAccuracy accuracy;

  public MetricsResource(Pool pool, FillRates fillRates, CountAccuracy accuracy) {
    this.pool = pool;
    this.fillRates = fillRates;
    this.accuracy = accuracy;
  }

  @GET
  @Operation(
      summary = "Inventory metrics of a SKU over a period, from the ledger",
      description =
          "inventoryTurnover = cost of units shipped / average inventory value, the average being"
              + " (opening onHand + closing onHand) / 2 × unit cost; sellThroughRate = units shipped"
              + " / (units received + opening onHand); weeksOfSupply = (closing onHand + closing"
              + " incoming) / (units shipped / weeks in the period); fillRate = order lines filled"
              + " from stock at their first allocation / order lines whose first allocation was"
              + " decided in the period (with a location: the lines first sent there; lines"
              + " backordered whole count only without a location); recordAccuracy = cycle-count"
              + " lines within tolerance / lines counted in the period (rejected counts left out)."
              + " A ratio over 0 is null. Without location: every location.")
  public Uni<InventoryMetrics> metrics(
      @RestQuery @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String sku,
      @RestQuery @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String location,
      @RestQuery @NotNull String from,
      @RestQuery @NotNull String to) {
    Period period = Period.of(from, to);
    OffsetDateTime start = period.from();
    OffsetDateTime end = period.to();
    return pool.preparedQuery(
            "SELECT (SELECT unit_cost FROM item WHERE sku = $1) AS unit_cost,"
                + " coalesce(sum(delta) FILTER (WHERE state IN "
                + PHYSICAL
                + " AND recorded_at < $3), 0) AS opening,"
                + " coalesce(sum(delta) FILTER (WHERE state IN "
                + PHYSICAL
                + " AND recorded_at < $4), 0) AS closing,"
                + " coalesce(sum(delta) FILTER (WHERE state = 'incoming' AND recorded_at < $4), 0)"
                + " AS incoming,"
                + " coalesce(-sum(delta) FILTER (WHERE state = 'committed' AND reason = 'shipped'"
                + " AND recorded_at >= $3 AND recorded_at < $4), 0) AS shipped,"
                + " coalesce(sum(delta) FILTER (WHERE state IN "
                + PHYSICAL
                + " AND reason = 'received' AND delta > 0 AND recorded_at >= $3 AND recorded_at <"
                + " $4), 0) AS received"
                + " FROM ledger WHERE sku = $1 AND ($2::text IS NULL OR location = $2)")
        .execute(Tuple.of(sku, location, start, end))
        .map(rows -> compute(sku, location, start, end, rows.iterator().next()))
        .chain(
            ledger ->
                Uni.combine()
                    .all()
                    .unis(
                        fillRates.forSku(sku, location, start, end),
                        accuracy.forSku(sku, location, start, end))
                    .with((fill, counts) -> ledger.with(fill, counts)));
  }

  static InventoryMetrics compute(
      String sku, String location, OffsetDateTime from, OffsetDateTime to, Row row) {
    if (row.getBigDecimal("unit_cost") == null) {
      throw ProblemException.notFound("ITEM_NOT_FOUND", "No item " + sku + ".");
    }
    BigDecimal cost = row.getBigDecimal("unit_cost").stripTrailingZeros();
    long opening = row.getLong("opening");
    long closing = row.getLong("closing");
    long incoming = row.getLong("incoming");
    long shipped = row.getLong("shipped");
    long received = row.getLong("received");
    BigDecimal costShipped = cost.multiply(BigDecimal.valueOf(shipped));
    BigDecimal average =
        cost.multiply(BigDecimal.valueOf(opening + closing))
            .divide(BigDecimal.valueOf(2), 4, RoundingMode.HALF_UP)
            .stripTrailingZeros();
    double weeks = Duration.between(from, to).getSeconds() / WEEK_SECONDS;
    return new InventoryMetrics(
        sku,
        location,
        from,
        to,
        cost,
        opening,
        closing,
        incoming,
        shipped,
        received,
        costShipped,
        average,
        average.signum() == 0 ? null : round(costShipped.doubleValue() / average.doubleValue()),
        received + opening == 0 ? null : round((double) shipped / (received + opening)),
        shipped == 0 ? null : round((closing + incoming) / (shipped / weeks)),
        0,
        0,
        null,
        0,
        0,
        null);
  }

  private static double round(double value) {
    return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP).doubleValue();
  }
}
