package dev.onhand.stock.metrics;

import dev.onhand.stock.count.CountAccuracy;
import dev.onhand.stock.fillrate.FillRate;
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
 *       period);
 *   <li>{@code fillRate} = order lines filled from stock at their first allocation / order lines
 *       whose first allocation was decided in the period (from fulfillment's {@code
 *       fulfillment.order.allocated}; with a location, the lines first sent to that location);
 *   <li>{@code recordAccuracy} = counted lines within tolerance / counted lines, from cycle counts
 *       whose results were recorded in the period (rejected counts left out).
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
    Double weeksOfSupply,
    long orderLines,
    long orderLinesFilled,
    Double fillRate,
    long countedLines,
    long countedLinesWithinTolerance,
    Double recordAccuracy) {

  InventoryMetrics with(FillRate fill, CountAccuracy.Tally counts) {
    return new InventoryMetrics(
        sku,
        location,
        from,
        to,
        unitCost,
        openingOnHand,
        closingOnHand,
        closingIncoming,
        unitsShipped,
        unitsReceived,
        costOfUnitsShipped,
        averageInventoryValue,
        inventoryTurnover,
        sellThroughRate,
        weeksOfSupply,
        fill.lines(),
        fill.filled(),
        fill.rate(),
        counts.counted(),
        counts.withinTolerance(),
        counts.accuracy());
  }
}
