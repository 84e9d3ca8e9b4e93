package dev.onhand.stock.transfer;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The bodies of the transfers API. */
public final class TransferRequests {
  private TransferRequests() {}

  /** {@code POST /transfers}: a DRAFT moving SKUs from one location to another. */
  @Schema(name = "TransferRequest")
  public record Create(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String source,
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String destination,
      @Size(max = 200) String reference,
      @NotNull @Size(min = 1, max = 500) List<@NotNull @Valid Line> lines) {}

  @Schema(name = "TransferRequestLine")
  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @Min(1) @Max(Identifiers.MAX_QUANTITY) Long quantity) {}

  /**
   * {@code POST /transfers/{id}/receive}: what arrived, good and damaged in transit. With {@code
   * close} (default true) what has still not arrived is lost: it leaves incoming and is reported.
   */
  @Schema(name = "TransferReceipt")
  public record Receive(
      @NotNull @Size(min = 1, max = 500) List<@NotNull @Valid ReceiveLine> lines, Boolean close) {}

  @Schema(name = "TransferReceiptLine")
  public record ReceiveLine(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @PositiveOrZero @Max(Identifiers.MAX_QUANTITY) Long good,
      @PositiveOrZero @Max(Identifiers.MAX_QUANTITY) Long damaged) {}
}
