package dev.onhand.fulfillment.order;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onhand.platform.api.Identifiers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /orders}: an order from a channel. (channel, channelOrderId) identifies it: the same
 * pair again returns the order already placed.
 */
public record OrderRequest(
    @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String channel,
    @NotNull @Size(min = 1, max = 100) @Pattern(regexp = "\\S.*", message = "must not be blank")
        String channelOrderId,
    @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Line> lines,
    @Schema(description = "Where the parcel goes, as the channel sent it") JsonNode shipTo) {

  @Schema(name = "OrderRequestLine")
  public record Line(
      @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @NotNull @Min(1) @Max(Identifiers.MAX_QUANTITY) Long quantity) {}
}
