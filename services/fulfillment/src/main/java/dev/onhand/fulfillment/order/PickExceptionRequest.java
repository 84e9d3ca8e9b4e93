package dev.onhand.fulfillment.order;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /orders/{id}/pick-exceptions}: what the picker found at a location. SHORT_PICK:
 * {@code quantity} units of {@code sku} reserved for the order are not there (lost; the line is
 * allocated again elsewhere). MISPICK: {@code shippedSku} left instead of {@code sku} (the parcel
 * counts as shipped; the reserved units of {@code sku} go back to available and {@code shippedSku}
 * leaves available).
 */
public record PickExceptionRequest(
    @NotNull Type type,
    @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String location,
    @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
    @NotNull @Min(1) @Max(Identifiers.MAX_QUANTITY) Long quantity,
    @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String shippedSku,
    @Size(max = 500) String note) {

  public enum Type {
    SHORT_PICK,
    MISPICK
  }
}
