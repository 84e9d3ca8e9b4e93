package dev.onhand.stock.reservation;

import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.stock.ledger.BalanceKey;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request to reserve, from the API or from a message, with what the engine needs to record it:
 * who asked, under which idempotency key, which reply correlates, and the caller's trace context.
 */
public record Demand(
    String reference,
    List<Line> lines,
    OffsetDateTime expiresAt,
    String actor,
    String idempotencyKey,
    String correlationId,
    Map<String, String> traceHeaders) {

  public record Line(String sku, String location, long quantity) {
    BalanceKey key() {
      return new BalanceKey(sku, location);
    }
  }

  /** One line per (SKU, location): two lines for the same balance are refused, not merged. */
  public static void requireDistinctLines(List<Line> lines) {
    Set<BalanceKey> seen = new HashSet<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!seen.add(lines.get(i).key())) {
        errors.add(
            new FieldError(
                "lines[" + i + "]", "DUPLICATE_LINE", "another line has this sku and location"));
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.validation(errors);
    }
  }
}
