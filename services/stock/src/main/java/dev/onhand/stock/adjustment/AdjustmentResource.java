package dev.onhand.stock.adjustment;

import dev.onhand.platform.api.Actor;
import dev.onhand.platform.idempotency.IdempotencyKeys;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
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

@Path("/api/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "inventory")
public class AdjustmentResource {
  private final AdjustmentService adjustments;
  private final AdjustmentBatcher batcher;
  private final IdempotencyKeys idempotency;

  public AdjustmentResource(
      AdjustmentService adjustments, AdjustmentBatcher batcher, IdempotencyKeys idempotency) {
    this.adjustments = adjustments;
    this.batcher = batcher;
    this.idempotency = idempotency;
  }

  @POST
  @Path("/inventory/adjustments")
  @Operation(
      summary = "Adjust balances",
      description =
          "All lines or none. 409 CHANGE_FROM_STALE when a changeFrom no longer holds; 422"
              + " NEGATIVE_BALANCE when a bucket would go below zero.")
  @APIResponse(
      responseCode = "201",
      description = "Applied",
      content = @Content(schema = @Schema(implementation = MovementResult.class)))
  public Uni<Response> adjust(
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @RestHeader(Actor.HEADER) String actor,
      @Valid @NotNull AdjustmentRequest body) {
    var key = idempotency.request(idempotencyKey, "POST /inventory/adjustments", body);
    return batcher.submit(
        new AdjustmentBatcher.Request(
            adjustments.prepareAdjustment(body, Actor.of(actor), idempotencyKey), key));
  }

  @POST
  @Path("/inventory/moves")
  @Operation(
      summary = "Move units between states at a location",
      description = "All lines or none.")
  @APIResponse(
      responseCode = "201",
      description = "Applied",
      content = @Content(schema = @Schema(implementation = MovementResult.class)))
  public Uni<Response> move(
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @RestHeader(Actor.HEADER) String actor,
      @Valid @NotNull MoveRequest body) {
    var key = idempotency.request(idempotencyKey, "POST /inventory/moves", body);
    return batcher.submit(
        new AdjustmentBatcher.Request(
            adjustments.prepareMove(body, Actor.of(actor), idempotencyKey), key));
  }
}
