package dev.onhand.stock.metrics;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * Metrics of one SKU (at one location, or all) over a period, from the ledger:
 *
 * <ul>
 *   <li>{@code inventoryTurnover} = cost of units shipped / average inventory value, where the
 *       average is (opening onHand + closing onHand) / 2 × unit cost;
 *   <li>{@code sellThroughRate} = units shipped / (units received + opening onHand);
 *   <li>{@code weeksOfSupply} = (closing onHand + closing incoming) / (units shipped / weeks in the
 *       period).
 * </ul>
 *
 * A ratio whose denominator is 0 is null. Units shipped are those that left committed with reason
 * shipped; units received those that entered a physical bucket with reason received; the unit cost
 * is the item's current cost.
 */
public record InventoryMetrics(
    String sku,
    String location,
    OffsetDateTime from,
    OffsetDateTime to,
    BigDecimal unitCost,
    long openingOnHand,
    long closingOnHand,
    long closingIncoming,
    long unitsShipped,
    long unitsReceived,
    BigDecimal costOfUnitsShipped,
    BigDecimal averageInventoryValue,
    Double inventoryTurnover,
    Double sellThroughRate,
    Double weeksOfSupply) {}
