package dev.onhand.channelsync.reconciliation;

import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One reconciliation of a channel: its counts and, per listing, what was found. */
@Schema(name = "ChannelReconciliation")
public record Reconciliation(
    @Schema(implementation = String.class, format = "uuid") UUID id,
    String channel,
    Trigger trigger,
    Status status,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt,
    @Schema(description = "Listings compared") int listings,
    int matched,
    @Schema(
            description =
                "Listings the channel shows other than it last applied, no push in flight")
        int drifted,
    @Schema(description = "Listings with a newer quantity on its way: not drift") int inFlight,
    @Schema(description = "Listings the channel does not know") int missing,
    @Schema(description = "Listings of a channel that cannot be read back (a generic webhook)")
        int unreadable,
    @Schema(description = "Drifted listings pushed again") int corrected,
    @Schema(description = "Snapshots of an authoritative location reported to stock") int snapshots,
    @Schema(description = "Why the run failed") String error,
    List<Line> lines) {

  @Schema(name = "ChannelReconciliationTrigger")
  public enum Trigger {
    SCHEDULED,
    ON_DEMAND
  }

  @Schema(name = "ChannelReconciliationStatus")
  public enum Status {
    RUNNING,
    COMPLETED,
    FAILED
  }

  @Schema(name = "ChannelReconciliationState")
  public enum State {
    MATCH,
    DRIFT,
    IN_FLIGHT,
    MISSING,
    UNREADABLE
  }

  /**
   * One listing's finding.
   *
   * @param channelQuantity what the channel showed; null when it did not know the listing or could
   *     not be read
   * @param expected the quantity the channel last applied (null: none yet)
   * @param computed the sellable quantity as computed now
   * @param corrected whether the current quantity was pushed again because of this drift
   */
  @Schema(name = "ChannelReconciliationLine")
  public record Line(
      String sku,
      String listingId,
      Long channelQuantity,
      Long expected,
      Long computed,
      State state,
      boolean corrected) {

    static Line fromRow(Row row) {
      return new Line(
          row.getString("sku"),
          row.getString("listing_id"),
          row.getLong("channel_quantity"),
          row.getLong("expected"),
          row.getLong("computed"),
          State.valueOf(row.getString("state")),
          row.getBoolean("corrected"));
    }
  }

  static Reconciliation fromRow(Row row, List<Line> lines) {
    return new Reconciliation(
        row.getUUID("id"),
        row.getString("channel"),
        Trigger.valueOf(row.getString("trigger")),
        Status.valueOf(row.getString("status")),
        row.getOffsetDateTime("started_at"),
        row.getOffsetDateTime("finished_at"),
        row.getInteger("listings"),
        row.getInteger("matched"),
        row.getInteger("drifted"),
        row.getInteger("in_flight"),
        row.getInteger("missing"),
        row.getInteger("unreadable"),
        row.getInteger("corrected"),
        row.getInteger("snapshots"),
        row.getString("error"),
        lines);
  }
}
