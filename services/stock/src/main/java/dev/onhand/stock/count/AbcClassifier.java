package dev.onhand.stock.count;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ABC classes of the SKUs at a location (Pareto). A SKU's consumption value is the units shipped
 * from there (committed entries with reason shipped) over {@code onhand.stock.counts.abc-window}
 * times the item's unit cost. Ranked by value, highest first (ties by SKU), a SKU is A when the
 * SKUs ranked above it hold less than 80% of the location's total value, B when less than 95%,
 * otherwise C; a SKU with no consumption is C.
 */
@ApplicationScoped
public class AbcClassifier {
  private static final BigDecimal A_SHARE = new BigDecimal("0.80");
  private static final BigDecimal B_SHARE = new BigDecimal("0.95");
  private static final String CONSUMPTION =
      "SELECT b.sku, i.unit_cost * coalesce(s.units, 0) AS value FROM balance b"
          + " JOIN item i ON i.sku = b.sku"
          + " LEFT JOIN (SELECT sku, -sum(delta) AS units FROM ledger WHERE location = $1::text"
          + " AND state = 'committed' AND reason = 'shipped' AND delta < 0"
          + " AND recorded_at >= now() - make_interval(secs => $2) GROUP BY sku) s"
          + " ON s.sku = b.sku WHERE b.location = $1::text";

  private final CountConfig config;

  public AbcClassifier(CountConfig config) {
    this.config = config;
  }

  /** The class of every SKU with a balance at {@code location}. */
  public Uni<Map<String, AbcClass>> classify(SqlClient sql, String location) {
    return sql.preparedQuery(CONSUMPTION)
        .execute(Tuple.of(location, (double) config.abcWindow().toSeconds()))
        .map(
            rows -> {
              Map<String, BigDecimal> values = new LinkedHashMap<>();
              for (Row row : rows) {
                values.put(row.getString("sku"), row.getBigDecimal("value"));
              }
              return classify(values);
            });
  }

  /** Classes from consumption values, as the class description says. */
  static Map<String, AbcClass> classify(Map<String, BigDecimal> values) {
    List<Map.Entry<String, BigDecimal>> ranked = new ArrayList<>(values.entrySet());
    ranked.sort(
        Map.Entry.<String, BigDecimal>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    BigDecimal total =
        ranked.stream().map(Map.Entry::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);
    Map<String, AbcClass> classes = new LinkedHashMap<>();
    BigDecimal above = BigDecimal.ZERO;
    for (Map.Entry<String, BigDecimal> entry : ranked) {
      BigDecimal value = entry.getValue();
      AbcClass abc;
      if (value.signum() == 0) {
        abc = AbcClass.C;
      } else if (above.compareTo(total.multiply(A_SHARE)) < 0) {
        abc = AbcClass.A;
      } else if (above.compareTo(total.multiply(B_SHARE)) < 0) {
        abc = AbcClass.B;
      } else {
        abc = AbcClass.C;
      }
      classes.put(entry.getKey(), abc);
      above = above.add(value);
    }
    return classes;
  }
}
