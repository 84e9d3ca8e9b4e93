package dev.onhand.stock.messaging;

import dev.onhand.stock.reservation.Disposition;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * {@code fulfillment.reservation.release-requested}: release what is still open on a reservation,
 * or only the given lines (a partial cancellation). The units go back to available, unless {@code
 * disposition} is {@code lost} (a short pick: they could not be found), when they leave committed
 * with reason {@code lost}.
 */
public record ReleaseRequested(
    @NotNull UUID reservationId,
    @Size(min = 1, max = 100) List<@NotNull @Valid StockLine> lines,
    @Size(max = 100) String cause,
    Disposition disposition) {}
