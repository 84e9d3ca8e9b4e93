package dev.onhand.stock.reservation;

import dev.onhand.platform.problem.ProblemException;
import java.util.List;

/** What became of one demand: confirmed, rejected for lack of stock, or refused as invalid. */
public sealed interface Outcome {
  record Confirmed(Reservation reservation) implements Outcome {}

  /** Not enough available for these lines; nothing was reserved. */
  record Rejected(List<ShortLine> shortLines) implements Outcome {
    public ProblemException problem() {
      return ProblemException.conflict(
              "INSUFFICIENT_STOCK",
              "Not enough available stock for every line; nothing was reserved.")
          .with("lines", shortLines);
    }
  }

  record Refused(ProblemException problem) implements Outcome {}

  record ShortLine(String sku, String location, long requested, long available) {}
}
