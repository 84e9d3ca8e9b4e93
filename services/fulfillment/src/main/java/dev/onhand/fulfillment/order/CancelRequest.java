package dev.onhand.fulfillment.order;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /orders/{id}/cancel}: without lines, everything not yet shipped; with lines, those
 * units only.
 */
public record CancelRequest(
    @Size(max = 200) String reason, @Size(min = 1, max = 100) List<@NotNull @Valid Line> lines) {

  @Schema(name = "CancelRequestLine")
  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @Min(1) @Max(Identifiers.MAX_QUANTITY) Long quantity) {}
}
