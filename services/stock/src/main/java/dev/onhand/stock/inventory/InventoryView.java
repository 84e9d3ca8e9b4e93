package dev.onhand.stock.inventory;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code GET /inventory/{sku}}: every location of a SKU, and the totals over them. */
public record InventoryView(String sku, Totals totals, List<BalanceView> locations) {

  @Schema(name = "InventoryTotals")
  public record Totals(
      long available,
      long committed,
      long reserved,
      long safetyStock,
      long qualityControl,
      long damaged,
      long onHand,
      long incoming) {}

  public static InventoryView of(String sku, List<BalanceView> locations) {
    long[] t = new long[8];
    for (BalanceView b : locations) {
      t[0] += b.available();
      t[1] += b.committed();
      t[2] += b.reserved();
      t[3] += b.safetyStock();
      t[4] += b.qualityControl();
      t[5] += b.damaged();
      t[6] += b.onHand();
      t[7] += b.incoming();
    }
    return new InventoryView(
        sku, new Totals(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]), locations);
  }
}
