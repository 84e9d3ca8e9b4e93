package dev.onhand.stock.fillrate;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * {@code fulfillment.order.allocated}: once per order, whether each line was filled from stock at
 * its first allocation, and where the first allocation asked for it (null: nowhere, backordered
 * whole).
 */
public record OrderAllocated(
    @NotNull UUID orderId,
    @NotNull @Pattern(regexp = Identifiers.PATTERN) String channel,
    @NotNull @Size(min = 1, max = 100) String channelOrderId,
    @NotNull OffsetDateTime allocatedAt,
    @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Line> lines) {

  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN) String sku,
      @NotNull @Positive @Max(Identifiers.MAX_QUANTITY) Long quantity,
      @Pattern(regexp = Identifiers.PATTERN) String location,
      @NotNull Boolean filledAtFirstAllocation) {}
}
