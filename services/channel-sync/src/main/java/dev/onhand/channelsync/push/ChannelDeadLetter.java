package dev.onhand.channelsync.push;

import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A SKU whose pushes to a channel stopped: the channel kept failing or refused it for good. */
@Schema(name = "ChannelDeadLetter")
public record ChannelDeadLetter(
    String sku,
    String listingId,
    @Schema(description = "The quantity a replay pushes: the current one") long quantity,
    long version,
    @Schema(description = "The newest version the channel applied (0: none)") long sentVersion,
    int attempts,
    Integer lastHttpStatus,
    String lastError,
    OffsetDateTime deadLetteredAt) {

  static ChannelDeadLetter fromRow(Row row) {
    return new ChannelDeadLetter(
        row.getString("sku"),
        row.getString("listing_id"),
        row.getLong("quantity"),
        row.getLong("version"),
        row.getLong("sent_version"),
        row.getInteger("attempts"),
        row.getInteger("last_http_status"),
        row.getString("last_error"),
        row.getOffsetDateTime("dead_lettered_at"));
  }
}
