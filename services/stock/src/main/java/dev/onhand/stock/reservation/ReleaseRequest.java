package dev.onhand.stock.reservation;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /reservations/{id}/release}: without lines, everything still open is released; with
 * lines, only those quantities (a partial cancellation).
 */
public record ReleaseRequest(@Size(min = 1, max = 100) List<@NotNull @Valid Line> lines) {

  @Schema(name = "ReleaseLine")
  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String location,
      @NotNull @Positive @Max(Identifiers.MAX_QUANTITY) Long quantity) {}
}
