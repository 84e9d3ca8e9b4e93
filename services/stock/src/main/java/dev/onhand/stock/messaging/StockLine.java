package dev.onhand.stock.messaging;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/** A quantity of one SKU at one location, as messages carry it. */
public record StockLine(
    @NotNull @Pattern(regexp = Identifiers.PATTERN) String sku,
    @NotNull @Pattern(regexp = Identifiers.PATTERN) String location,
    @NotNull @Positive @Max(Identifiers.MAX_QUANTITY) Long quantity) {}
