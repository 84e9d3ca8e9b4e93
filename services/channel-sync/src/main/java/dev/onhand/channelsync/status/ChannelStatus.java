package dev.onhand.channelsync.status;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How a channel's sync stands. */
@Schema(name = "ChannelStatus")
public record ChannelStatus(
    String channel,
    @Schema(description = "The last push attempt, whatever came of it") OffsetDateTime lastPushAt,
    @Schema(description = "The last push the channel applied") OffsetDateTime lastAppliedAt,
    @Schema(description = "SKUs whose newest quantity the channel has not applied yet")
        long pending,
    @Schema(description = "Milliseconds since the oldest of those changed; 0 when none waits")
        long lagMs,
    @Schema(description = "SKUs whose pushes stopped until an operator replays them")
        long deadLettered,
    @Schema(description = "Pushes in the last hour") long pushesLastHour,
    @Schema(description = "Pushes in the last hour the channel did not apply") long errorsLastHour,
    @Schema(
            description =
                "Median milliseconds from stock's change to the channel's APPLIED answer, over"
                    + " the last hour; null without an applied push")
        Long latencyP50Ms,
    @Schema(description = "The same, 99th percentile") Long latencyP99Ms,
    @Schema(description = "What the last completed reconciliation found; null before the first")
        Drift drift) {

  /** SKUs the channel showed other than it last applied, at the last completed reconciliation. */
  @Schema(name = "ChannelDrift")
  public record Drift(
      @Schema(description = "SKUs in DRIFT") long skus,
      @Schema(description = "Of those, pushed again") long corrected,
      @Schema(implementation = String.class, format = "uuid") UUID reconciliationId,
      @Schema(description = "When that reconciliation finished") OffsetDateTime reconciledAt) {}
}
