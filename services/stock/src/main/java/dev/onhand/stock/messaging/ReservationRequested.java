package dev.onhand.stock.messaging;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code fulfillment.reservation.requested}: reserve every line or none. The reply ({@code
 * stock.reservation.confirmed} or {@code .rejected}) carries the request's correlation id. Without
 * {@code expiresInSeconds} the reservation holds until shipped or released.
 */
public record ReservationRequested(
    @NotBlank @Size(max = 200) String reference,
    @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid StockLine> lines,
    @Positive @Max(30L * 24 * 3600) Long expiresInSeconds) {}
