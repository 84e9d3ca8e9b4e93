package dev.onhand.channelsync.channel;

import dev.onhand.platform.api.Identifiers;
import dev.onhand.platform.idempotency.IdempotencyKeys;
import dev.onhand.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

@Path("/api/v1/channels/{code}/listings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "channels")
public class ListingResource {
  private final ChannelService service;
  private final IdempotencyKeys idempotency;
  private final Pool pool;

  public ListingResource(ChannelService service, IdempotencyKeys idempotency, Pool pool) {
    this.service = service;
    this.idempotency = idempotency;
    this.pool = pool;
  }

  @PUT
  @Path("/{sku}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Sell a SKU on a channel under the channel's id, with optional overrides",
      description =
          "The SKU must be known to stock (422 UNKNOWN_SKU); a listing id stands for one SKU per"
              + " channel (409 LISTING_ID_TAKEN). bufferUnits and maximum replace the channel's"
              + " for this SKU; fixedQuantity shows the channel exactly that many whatever stock"
              + " holds. The quantity is computed at once and pushed; a new listing id is pushed"
              + " even when the quantity is unchanged.")
  @APIResponse(
      responseCode = "201",
      description = "Created",
      content = @Content(schema = @Schema(implementation = Listing.class)))
  @APIResponse(
      responseCode = "200",
      description = "Replaced",
      content = @Content(schema = @Schema(implementation = Listing.class)))
  public Uni<Response> put(
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String code,
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid @NotNull ListingRequest body) {
    return idempotency.write(
        idempotencyKey,
        "PUT /channels/" + code + "/listings/" + sku,
        body,
        unit ->
            service
                .putListing(unit, code, sku, body)
                .map(
                    written ->
                        idempotency.response(
                            written.created() ? 201 : 200,
                            written.value(),
                            written.created()
                                ? "/api/v1/channels/" + code + "/listings/" + sku
                                : null)));
  }

  @GET
  @Path("/{sku}")
  @Operation(summary = "A listing, its sellable quantity and how far its push got")
  public Uni<Listing> get(
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String code,
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku) {
    return service
        .findListing(pool, code, sku)
        .onItem()
        .ifNull()
        .failWith(
            () ->
                ProblemException.notFound(
                    "LISTING_NOT_FOUND", "Channel " + code + " has no listing of " + sku + "."));
  }
}
