package dev.onhand.stock.ledger;

import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SKUs and locations a request names that do not exist. Looked up only for keys without a balance
 * row, so the common path pays nothing for it.
 */
public record UnknownReferences(Set<String> skus, Set<String> locations) {
  public static final UnknownReferences NONE = new UnknownReferences(Set.of(), Set.of());

  public static Uni<UnknownReferences> find(SqlConnection sql, Collection<BalanceKey> keys) {
    if (keys.isEmpty()) {
      return Uni.createFrom().item(NONE);
    }
    Set<String> skus = new HashSet<>();
    Set<String> locations = new HashSet<>();
    keys.forEach(
        k -> {
          skus.add(k.sku());
          locations.add(k.location());
        });
    return sql.preparedQuery(
            "SELECT ARRAY(SELECT s FROM unnest($1::text[]) s WHERE NOT EXISTS"
                + " (SELECT 1 FROM item WHERE sku = s)) AS skus,"
                + " ARRAY(SELECT l FROM unnest($2::text[]) l WHERE NOT EXISTS"
                + " (SELECT 1 FROM location WHERE code = l)) AS locations")
        .execute(Tuple.of(skus.toArray(String[]::new), locations.toArray(String[]::new)))
        .map(
            rows -> {
              var row = rows.iterator().next();
              return new UnknownReferences(
                  Set.of(row.getArrayOfStrings("skus")),
                  Set.of(row.getArrayOfStrings("locations")));
            });
  }

  /** The field errors of one request line ({@code field} is e.g. {@code lines[2]}). */
  public List<FieldError> errors(String field, BalanceKey key) {
    List<FieldError> errors = new ArrayList<>(2);
    if (skus.contains(key.sku())) {
      errors.add(new FieldError(field + ".sku", "UNKNOWN_SKU", "no such item"));
    }
    if (locations.contains(key.location())) {
      errors.add(new FieldError(field + ".location", "UNKNOWN_LOCATION", "no such location"));
    }
    return errors;
  }

  /** 422 with the first error's code (UNKNOWN_SKU or UNKNOWN_LOCATION) and every field error. */
  public static ProblemException problem(List<FieldError> errors) {
    return ProblemException.unprocessable(
            errors.get(0).code(), "The request names an item or location that does not exist.")
        .withErrors(errors);
  }
}
