package dev.onhand.returns.authorization;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The bodies of the returns API. */
public final class Requests {
  private Requests() {}

  /**
   * {@code POST /returns}: authorise units of an order to come back. The order is fulfillment's
   * {@code orderId} or the channel's ({@code channel} + {@code channelOrderId}).
   */
  @Schema(name = "ReturnAuthorizationRequest")
  public record Authorize(
      UUID orderId,
      @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String channel,
      @Size(max = 100) String channelOrderId,
      @Schema(description = "When the authorisation lapses unused; 30 days by default")
          OffsetDateTime expiresAt,
      @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid AuthorizeLine> lines) {}

  @Schema(name = "ReturnAuthorizationLine")
  public record AuthorizeLine(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @Min(1) @Max(Identifiers.MAX_QUANTITY) Long quantity,
      @Size(max = 200) String reason) {}

  /** {@code POST /returns/{id}/receipts}: what arrived at a location, by condition. */
  @Schema(name = "ReturnReceiptRequest")
  public record Receipt(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String location,
      @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid ReceiptLine> lines) {}

  @Schema(name = "ReturnReceiptLine")
  public record ReceiptLine(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @Min(1) @Max(Identifiers.MAX_QUANTITY) Long quantity,
      @NotNull Condition condition) {}

  /**
   * {@code POST /returns/unexpected}: a parcel that arrived without an authorisation; recorded and
   * reported rather than lost. The order, when known, may be named.
   */
  @Schema(name = "UnexpectedReturnRequest")
  public record Unexpected(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String location,
      UUID orderId,
      @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String channel,
      @Size(max = 100) String channelOrderId,
      @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid ReceiptLine> lines) {}

  /**
   * {@code POST /returns/{id}/inspections}: what inspection decided for units in quality control.
   */
  @Schema(name = "InspectionRequest")
  public record Inspection(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String location,
      @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid InspectionLine> lines) {}

  @Schema(name = "InspectionLine")
  public record InspectionLine(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @Min(1) @Max(Identifiers.MAX_QUANTITY) Long quantity,
      @NotNull Outcome outcome) {}
}
