package dev.onhand.stock.transfer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A transfer as the API shows it. {@code inTransit} units are incoming at the destination. */
public record Transfer(
    UUID id,
    String source,
    String destination,
    String reference,
    String status,
    List<Line> lines,
    OffsetDateTime createdAt,
    OffsetDateTime shippedAt,
    OffsetDateTime closedAt) {

  @Schema(name = "TransferLine")
  public record Line(String sku, long quantity, long received, long damaged, long lost) {
    @JsonProperty
    public long inTransit() {
      return quantity - received - damaged - lost;
    }
  }
}
