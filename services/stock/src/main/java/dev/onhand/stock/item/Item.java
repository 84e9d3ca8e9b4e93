package dev.onhand.stock.item;

import io.vertx.mutiny.sqlclient.Row;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** A stock-keeping unit: its cost values stock for metrics; its threshold marks low stock. */
public record Item(
    String sku,
    String name,
    BigDecimal unitCost,
    long lowStockThreshold,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  static Item fromRow(Row row) {
    return new Item(
        row.getString("sku"),
        row.getString("name"),
        row.getBigDecimal("unit_cost").stripTrailingZeros(),
        row.getLong("low_stock_threshold"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"));
  }
}
