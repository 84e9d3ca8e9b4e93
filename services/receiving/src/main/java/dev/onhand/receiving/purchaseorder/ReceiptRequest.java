package dev.onhand.receiving.purchaseorder;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /purchase-orders/{id}/receipts}: what one delivery held, counted at the dock. A line
 * may name a SKU the PO did not order (it is received and raises an exception).
 */
public record ReceiptRequest(
    OffsetDateTime receivedAt,
    @Size(max = 1000) String note,
    @NotNull @Size(min = 1, max = 500) List<@NotNull @Valid Line> lines) {

  @Schema(name = "ReceiptRequestLine")
  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @PositiveOrZero @Max(Identifiers.MAX_QUANTITY) Long good,
      @PositiveOrZero @Max(Identifiers.MAX_QUANTITY) Long damaged) {

    long goodUnits() {
      return good == null ? 0 : good;
    }

    long damagedUnits() {
      return damaged == null ? 0 : damaged;
    }
  }
}
