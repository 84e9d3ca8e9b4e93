package dev.onhand.stock.reservation;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * {@code POST /reservations/{id}/extend}: the reservation now expires this many seconds from now.
 */
public record ExtendRequest(
    @NotNull @Positive @Max(ReservationRequest.MAX_EXPIRY_SECONDS) Long expiresInSeconds) {}
