package dev.onhand.channelsync.channel;

import dev.onhand.platform.api.Identifiers;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PUT /channels/{code}/listings/{sku}}. */
@Schema(name = "ChannelListingRequest")
public record ListingRequest(
    @Schema(
            description =
                "The channel's id of the SKU: Shopify inventory item gid, Amazon seller SKU,"
                    + " Walmart SKU, or what a webhook receiver knows it by")
        @NotNull
        @Pattern(regexp = "^\\S(.{0,253}\\S)?$", message = "must be 1 to 255 characters, not blank")
        @Pattern(regexp = "^\\P{Cntrl}*$", message = "must not contain control characters")
        String listingId,
    @Schema(description = "Replaces the channel's bufferUnits for this SKU")
        @Min(0)
        @Max(Identifiers.MAX_QUANTITY)
        Long bufferUnits,
    @Schema(description = "Replaces the channel's maximum for this SKU")
        @Min(0)
        @Max(Identifiers.MAX_QUANTITY)
        Long maximum,
    @Schema(
            description =
                "Shows the channel exactly this many, whatever stock holds (made-to-order or"
                    + " drop-shipped goods); buffer, share and maximum do not apply")
        @Min(0)
        @Max(Identifiers.MAX_QUANTITY)
        Long fixedQuantity) {}
