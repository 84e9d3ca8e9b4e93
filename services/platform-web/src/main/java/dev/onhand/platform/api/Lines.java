package dev.onhand.platform.api;

import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Rules every request with lines shares. */
public final class Lines {
  private Lines() {}

  /**
   * Each SKU once per request: maps SKU → the field naming it ({@code lines[i].sku}), or refuses
   * with 400 VALIDATION_FAILED naming every repeated line (DUPLICATE_SKU).
   */
  public static <L> Map<String, String> distinctSkus(List<L> lines, Function<L, String> sku) {
    Map<String, String> fields = new LinkedHashMap<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String field = "lines[" + i + "].sku";
      if (fields.putIfAbsent(sku.apply(lines.get(i)), field) != null) {
        errors.add(new FieldError(field, "DUPLICATE_SKU", "each SKU once per request"));
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.validation(errors);
    }
    return fields;
  }
}
