package dev.onhand.stock.adjustment;

import dev.onhand.platform.api.Identifiers;
import dev.onhand.stock.ledger.Bucket;
import dev.onhand.stock.ledger.Reason;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /inventory/adjustments}: lines that each change one bucket by a {@code delta} or set
 * it to {@code setTo}, optionally only if it still equals {@code changeFrom}.
 */
public record AdjustmentRequest(
    @NotNull Reason reason,
    @Size(max = 200) String reference,
    @NotNull @Size(min = 1, max = 500) List<@NotNull @Valid Line> lines) {

  @Schema(name = "AdjustmentLine")
  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String location,
      @NotNull Bucket state,
      @Min(-Identifiers.MAX_QUANTITY) @Max(Identifiers.MAX_QUANTITY) Long delta,
      @PositiveOrZero @Max(Identifiers.MAX_QUANTITY) Long setTo,
      @PositiveOrZero @Max(Identifiers.MAX_QUANTITY) Long changeFrom) {}
}
