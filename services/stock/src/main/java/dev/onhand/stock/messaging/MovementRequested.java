package dev.onhand.stock.messaging;

import dev.onhand.platform.api.Identifiers;
import dev.onhand.stock.ledger.Bucket;
import dev.onhand.stock.ledger.Reason;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * {@code receiving.movement.requested}, {@code returns.movement.requested} and {@code
 * fulfillment.movement.requested}: bucket changes a receipt, a PO, a return or a pick exception
 * (e.g. a mispick: available -1) causes, applied all together or refused together (e.g. a PO line's
 * incoming +10; a receipt's incoming -10, available +8, damaged +2).
 */
public record MovementRequested(
    UUID movementId,
    @NotNull Reason reason,
    @Size(max = 200) String reference,
    OffsetDateTime occurredAt,
    @NotNull @Size(min = 1, max = 500) List<@NotNull @Valid Line> lines) {

  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN) String sku,
      @NotNull @Pattern(regexp = Identifiers.PATTERN) String location,
      @NotNull Bucket state,
      @NotNull @Min(-Identifiers.MAX_QUANTITY) @Max(Identifiers.MAX_QUANTITY) Long delta,
      Reason reason) {}
}
