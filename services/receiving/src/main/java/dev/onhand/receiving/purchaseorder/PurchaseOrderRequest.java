package dev.onhand.receiving.purchaseorder;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /purchase-orders}: what a supplier will deliver to one location. {@code
 * tolerancePercent} (default from configuration) is how far a line may be over- or under-delivered
 * before it is an exception.
 */
public record PurchaseOrderRequest(
    @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String number,
    @NotBlank @Size(max = 200) String supplier,
    @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String location,
    LocalDate expectedDate,
    @DecimalMin("0") @DecimalMax("100") BigDecimal tolerancePercent,
    @NotNull @Size(min = 1, max = 500) List<@NotNull @Valid Line> lines) {

  @Schema(name = "PurchaseOrderRequestLine")
  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @Min(1) @Max(Identifiers.MAX_QUANTITY) Long quantity) {}
}
