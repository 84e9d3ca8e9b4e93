package dev.onhand.receiving.purchaseorder;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a receipt or a close does to a purchase order's lines, decided without a database so the
 * rules can be tested alone: how much incoming each line settles, and which differences go beyond
 * the tolerance.
 *
 * <p>A line of {@code ordered} units may arrive as {@code ordered ± floor(ordered × tolerance%)}
 * units without an exception. Over-delivery is judged at each receipt, short delivery when the PO
 * is closed (until then the rest may still come).
 */
public final class DeliveryCheck {
  public static final String OVER_RECEIPT = "OVER_RECEIPT";
  public static final String SHORT_RECEIPT = "SHORT_RECEIPT";
  public static final String UNEXPECTED_SKU = "UNEXPECTED_SKU";

  private DeliveryCheck() {}

  /** How one receipt line lands: incoming settled, and the exception it raises if any. */
  public record Arrival(
      String sku,
      long good,
      long damaged,
      boolean ordered,
      long incomingReleased,
      Finding finding) {}

  /** A difference beyond tolerance: expected and actual units of the line. */
  public record Finding(String kind, String sku, long expected, long actual) {}

  public static long allowance(long ordered, BigDecimal tolerancePercent) {
    return BigDecimal.valueOf(ordered)
        .multiply(tolerancePercent)
        .divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR)
        .longValueExact();
  }

  /**
   * The arrivals of a receipt against the PO's lines as they stood before it. Receipt lines are
   * distinct by SKU.
   */
  public static List<Arrival> receive(
      List<PurchaseOrder.Line> lines,
      BigDecimal tolerancePercent,
      List<ReceiptRequest.Line> receipt) {
    Map<String, PurchaseOrder.Line> bySku = new LinkedHashMap<>();
    lines.forEach(line -> bySku.put(line.sku(), line));
    List<Arrival> arrivals = new ArrayList<>();
    for (ReceiptRequest.Line r : receipt) {
      long units = r.goodUnits() + r.damagedUnits();
      PurchaseOrder.Line line = bySku.get(r.sku());
      if (line == null) {
        arrivals.add(
            new Arrival(
                r.sku(),
                r.goodUnits(),
                r.damagedUnits(),
                false,
                0,
                new Finding(UNEXPECTED_SKU, r.sku(), 0, units)));
        continue;
      }
      long after = line.received() + units;
      Finding over =
          units > 0 && after > line.ordered() + allowance(line.ordered(), tolerancePercent)
              ? new Finding(OVER_RECEIPT, r.sku(), line.ordered(), after)
              : null;
      arrivals.add(
          new Arrival(
              r.sku(),
              r.goodUnits(),
              r.damagedUnits(),
              true,
              Math.min(units, line.outstanding()),
              over));
    }
    return arrivals;
  }

  /** The short deliveries beyond tolerance when a PO is closed with {@code lines} as they stand. */
  public static List<Finding> close(List<PurchaseOrder.Line> lines, BigDecimal tolerancePercent) {
    List<Finding> findings = new ArrayList<>();
    for (PurchaseOrder.Line line : lines) {
      if (line.received() < line.ordered() - allowance(line.ordered(), tolerancePercent)) {
        findings.add(new Finding(SHORT_RECEIPT, line.sku(), line.ordered(), line.received()));
      }
    }
    return findings;
  }

  /** The status once the lines stand as given (for a PO that still takes receipts). */
  public static PurchaseOrderStatus statusOf(List<PurchaseOrder.Line> lines) {
    boolean any = lines.stream().anyMatch(l -> l.received() > 0);
    boolean all = lines.stream().allMatch(l -> l.outstanding() == 0);
    return all
        ? PurchaseOrderStatus.RECEIVED
        : any ? PurchaseOrderStatus.PARTIALLY_RECEIVED : PurchaseOrderStatus.OPEN;
  }
}
