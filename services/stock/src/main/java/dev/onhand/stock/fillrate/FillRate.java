package dev.onhand.stock.fillrate;

import java.time.OffsetDateTime;

/**
 * The fill rate of a SKU (at a location, or everywhere) over [from, to): {@code filled} of {@code
 * lines} order lines were filled from stock at their first allocation; {@code rate} = filled /
 * lines, rounded to 4 decimals, null when there are no lines. {@link FillRates} says which lines a
 * location counts.
 */
public record FillRate(
    String sku,
    String location,
    OffsetDateTime from,
    OffsetDateTime to,
    long lines,
    long filled,
    Double rate) {}
