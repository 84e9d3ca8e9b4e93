package dev.onhand.channelsync.channel;

import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A SKU on a channel, with the quantity the channel should show and how far its push got. */
@Schema(name = "ChannelListing")
public record Listing(
    String channel,
    String sku,
    String listingId,
    Long bufferUnits,
    Long maximum,
    Long fixedQuantity,
    @Schema(description = "The sellable quantity as now computed") long quantity,
    @Schema(description = "Grows with every change of quantity") long version,
    @Schema(description = "The newest version the channel applied (0: none yet)") long sentVersion,
    @Schema(description = "The quantity the channel holds as far as Onhand knows")
        Long sentQuantity,
    OffsetDateTime sentAt,
    @Schema(description = "Pushes of this SKU stopped until an operator replays them")
        boolean deadLettered,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  static Listing fromRow(Row row) {
    return new Listing(
        row.getString("channel"),
        row.getString("sku"),
        row.getString("listing_id"),
        row.getLong("buffer_units"),
        row.getLong("maximum"),
        row.getLong("fixed_quantity"),
        row.getLong("quantity"),
        row.getLong("version"),
        row.getLong("sent_version"),
        row.getLong("sent_quantity"),
        row.getOffsetDateTime("sent_at"),
        row.getOffsetDateTime("dead_lettered_at") != null,
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"));
  }
}
