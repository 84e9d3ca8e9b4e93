package dev.onhand.returns.authorization;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A return as the API shows it. */
@Schema(name = "Return")
public record CustomerReturn(
    UUID id,
    boolean authorized,
    UUID orderId,
    String channel,
    String channelOrderId,
    ReturnStatus status,
    OffsetDateTime expiresAt,
    String closedReason,
    List<Line> lines,
    List<Awaiting> awaitingInspection,
    List<Exception> exceptions,
    OffsetDateTime createdAt) {

  @Schema(name = "ReturnLine")
  public record Line(String sku, long authorized, String reason, long received) {
    @JsonProperty
    public long outstanding() {
      return Math.max(0, authorized - received);
    }
  }

  /** Units of the return in quality control at a location, not yet inspected. */
  @Schema(name = "ReturnAwaitingInspection")
  public record Awaiting(String location, String sku, long quantity) {}

  @Schema(name = "ReturnException")
  public record Exception(
      UUID id, String kind, String sku, long expected, long actual, OffsetDateTime raisedAt) {}
}
