package dev.onhand.stock.adjustment;

import dev.onhand.platform.api.Identifiers;
import dev.onhand.stock.ledger.Bucket;
import dev.onhand.stock.ledger.Reason;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /inventory/moves}: units from one state to another at the same location, e.g.
 * available → qualityControl. Without a reason, one is derived from the states.
 */
public record MoveRequest(
    Reason reason,
    @Size(max = 200) String reference,
    @NotNull @Size(min = 1, max = 500) List<@NotNull @Valid Line> lines) {

  @Schema(name = "MoveLine")
  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String location,
      @NotNull Bucket from,
      @NotNull Bucket to,
      @NotNull @Positive @Max(Identifiers.MAX_QUANTITY) Long quantity) {}
}
