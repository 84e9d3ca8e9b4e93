package dev.onhand.channelsync.channel;

import dev.onhand.channelsync.adapter.ChannelType;
import dev.onhand.platform.api.Identifiers;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PUT /channels/{code}}: the whole channel, as it should be. */
@Schema(name = "ChannelRequest")
public record ChannelRequest(
    @NotNull ChannelType type,
    @Schema(description = "The channel API's base URL (http or https), or the webhook's URL")
        @NotNull
        @Size(max = 2000)
        String endpoint,
    @Schema(
            description =
                "Credential name → reference, never a value: env:ONHAND_CHANNEL_<NAME> (an"
                    + " environment variable) or secret:<secret-name>/<key> (a mounted Kubernetes"
                    + " Secret). A GENERIC_WEBHOOK channel needs `secret`, the key of its"
                    + " X-Onhand-Signature.")
        @Size(max = 20)
        Map<@NotNull String, @NotNull @Size(max = 400) String> credentials,
    @Schema(
            description =
                "The channel's own identifiers: SHOPIFY needs shopifyLocationId, AMAZON"
                    + " amazonSellerId and amazonMarketplaceId, WALMART walmartShipNode")
        @Size(max = 50)
        Map<@NotNull String, @NotNull @Size(min = 1, max = 500) String> settings,
    @Schema(description = "Locations whose available units the channel may sell, best first")
        @NotNull
        @Size(min = 1, max = 100)
        List<@NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String>
            eligibleLocations,
    @Schema(
            description =
                "Whether one order line may be filled from several locations; true by default")
        Boolean allowSplit,
    @Schema(description = "Units held back from the channel; 0 by default")
        @Min(0)
        @Max(Identifiers.MAX_QUANTITY)
        Long bufferUnits,
    @Schema(description = "The share of the pool the channel may sell, 0 to 100; 100 by default")
        @Min(0)
        @Max(100)
        Integer allocationPercent,
    @Schema(description = "The most the channel is ever shown; none by default")
        @Min(0)
        @Max(Identifiers.MAX_QUANTITY)
        Long maximum) {}
