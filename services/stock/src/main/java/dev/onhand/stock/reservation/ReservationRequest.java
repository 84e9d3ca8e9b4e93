package dev.onhand.stock.reservation;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /reservations}: hold units of every line, or none. Without {@code expiresInSeconds}
 * the reservation expires after the service's default ({@code
 * onhand.stock.reservations.default-expiry}).
 */
public record ReservationRequest(
    @NotBlank @Size(max = 200) String reference,
    @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Line> lines,
    @Positive @Max(ReservationRequest.MAX_EXPIRY_SECONDS) Long expiresInSeconds) {

  public static final long MAX_EXPIRY_SECONDS = 30L * 24 * 3600;

  @Schema(name = "ReservationRequestLine")
  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String location,
      @NotNull @Positive @Max(Identifiers.MAX_QUANTITY) Long quantity) {}
}
