package dev.onhand.stock.messaging;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * {@code fulfillment.shipment.recorded}: these units of a reservation left the building; they leave
 * committed with reason {@code shipped}.
 */
public record ShipmentRecorded(
    @NotBlank @Size(max = 100) String shipmentId,
    @NotNull UUID reservationId,
    @Size(max = 200) String reference,
    @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid StockLine> lines) {}
