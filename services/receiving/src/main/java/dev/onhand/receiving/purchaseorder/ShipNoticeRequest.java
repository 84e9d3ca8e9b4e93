package dev.onhand.receiving.purchaseorder;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /purchase-orders/{id}/ship-notices}: an advance ship notice, what a supplier or 3PL
 * says is on the truck. It changes no quantity; receipts do.
 */
public record ShipNoticeRequest(
    @NotBlank @Size(max = 100) String carrier,
    @Size(max = 100) String trackingNumber,
    OffsetDateTime expectedArrival,
    @NotNull @Size(min = 1, max = 500) List<@NotNull @Valid Line> lines) {

  @Schema(name = "ShipNoticeLine")
  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @Min(1) @Max(Identifiers.MAX_QUANTITY) Long quantity) {}
}
