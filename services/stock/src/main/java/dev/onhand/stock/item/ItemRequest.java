package dev.onhand.stock.item;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** The body of {@code PUT /items/{sku}}. */
public record ItemRequest(
    @NotBlank @Size(max = 200) String name,
    @DecimalMin("0") @DecimalMax("9999999999") @Digits(integer = 10, fraction = 4)
        BigDecimal unitCost,
    @PositiveOrZero @Max(Identifiers.MAX_QUANTITY) Long lowStockThreshold) {}
