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

/** {@code POST /orders/{id}/shipments}: units of the order that left one location. */
public record ShipmentRequest(
    @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String location,
    @Size(max = 100) String carrier,
    @Size(max = 100) String trackingNumber,
    @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Line> lines) {

  @Schema(name = "ShipmentRequestLine")
  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @Min(1) @Max(Identifiers.MAX_QUANTITY) Long quantity) {}
}
