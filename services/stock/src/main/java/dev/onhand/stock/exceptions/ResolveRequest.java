package dev.onhand.stock.exceptions;

import dev.onhand.platform.api.Identifiers;
import dev.onhand.stock.adjustment.AdjustmentRequest;
import dev.onhand.stock.ledger.Bucket;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /exceptions/{id}/resolve}: WRITE_OFF takes {@code quantity} units of the exception's
 * SKU at its location out of {@code state} (available by default, reason write_off); ADJUST posts
 * {@code adjustment} as {@code POST /inventory/adjustments} would; DISMISS changes no stock and
 * needs a note.
 */
@Schema(name = "ExceptionResolution")
public record ResolveRequest(
    @NotNull Action action,
    @Min(1) @Max(Identifiers.MAX_QUANTITY) Long quantity,
    Bucket state,
    @Valid AdjustmentRequest adjustment,
    @Size(max = 1000) String note) {

  public enum Action {
    WRITE_OFF,
    ADJUST,
    DISMISS
  }
}
