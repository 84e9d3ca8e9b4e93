package dev.onhand.stock.reservation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.onhand.stock.ledger.BalanceKey;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A reservation as the API shows it: each line's quantity, and how much of it shipped or was
 * released.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reservation(
    UUID id,
    String reference,
    ReservationStatus status,
    OffsetDateTime expiresAt,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    List<Line> lines) {

  @Schema(name = "ReservationLine")
  public record Line(String sku, String location, long quantity, long shipped, long released) {
    /** Units still held in committed for this line. */
    @JsonProperty("open")
    public long open() {
      return quantity - shipped - released;
    }

    BalanceKey key() {
      return new BalanceKey(sku, location);
    }
  }
}
