package dev.onhand.stock.transfer;

import dev.onhand.platform.api.Actor;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

@Path("/api/v1/transfers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "transfers")
public class TransferResource {
  private static final String ID_MESSAGE = "must be a transfer id (a UUID)";

  private final TransferService transfers;
  private final IdempotencyKeys idempotency;
  private final Pool pool;

  public TransferResource(TransferService transfers, IdempotencyKeys idempotency, Pool pool) {
    this.transfers = transfers;
    this.idempotency = idempotency;
    this.pool = pool;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Draft a transfer between two locations")
  @APIResponse(
      responseCode = "201",
      description = "Drafted",
      content = @Content(schema = @Schema(implementation = Transfer.class)))
  public Uni<Response> create(
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid @NotNull TransferRequests.Create body) {
    return idempotency.write(
        idempotencyKey,
        "POST /transfers",
        body,
        unit ->
            transfers
                .create(unit, body)
                .map(t -> idempotency.response(201, t, "/api/v1/transfers/" + t.id())));
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "A transfer and its lines")
  public Uni<Transfer> get(
      @RestPath @Pattern(regexp = Identifiers.UUID_PATTERN, message = ID_MESSAGE) String id) {
    return transfers
        .find(pool, UUID.fromString(id))
        .onItem()
        .ifNull()
        .failWith(() -> ProblemException.notFound("TRANSFER_NOT_FOUND", "No transfer " + id + "."));
  }

  @POST
  @Path("/{id}/ship")
  @Operation(
      summary = "Ship a drafted transfer",
      description =
          "Units leave the source's available and are incoming at the destination (transfer_out);"
              + " 422 NEGATIVE_BALANCE when the source has too few.")
  @APIResponse(
      responseCode = "200",
      description = "Shipped",
      content = @Content(schema = @Schema(implementation = Transfer.class)))
  public Uni<Response> ship(
      @RestPath @Pattern(regexp = Identifiers.UUID_PATTERN, message = ID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @RestHeader(Actor.HEADER) String actor) {
    return idempotency.write(
        idempotencyKey,
        "POST /transfers/" + id + "/ship",
        null,
        unit ->
            transfers
                .ship(unit, UUID.fromString(id), Actor.of(actor), idempotencyKey)
                .map(t -> idempotency.response(200, t, null)));
  }

  @POST
  @Path("/{id}/receive")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Receive a shipped transfer, partly or wholly",
      description =
          "Good units go from incoming to available (transfer_in), damaged ones to damaged. With"
              + " close (default) what never arrived leaves incoming as lost and is registered as a"
              + " TRANSFER_LOSS exception.")
  @APIResponse(
      responseCode = "200",
      description = "Received",
      content = @Content(schema = @Schema(implementation = Transfer.class)))
  public Uni<Response> receive(
      @RestPath @Pattern(regexp = Identifiers.UUID_PATTERN, message = ID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @RestHeader(Actor.HEADER) String actor,
      @Valid @NotNull TransferRequests.Receive body) {
    return idempotency.write(
        idempotencyKey,
        "POST /transfers/" + id + "/receive",
        body,
        unit ->
            transfers
                .receive(unit, UUID.fromString(id), body, Actor.of(actor), idempotencyKey)
                .map(t -> idempotency.response(200, t, null)));
  }

  @POST
  @Path("/{id}/cancel")
  @Operation(summary = "Cancel a transfer before it ships")
  @APIResponse(
      responseCode = "200",
      description = "Cancelled",
      content = @Content(schema = @Schema(implementation = Transfer.class)))
  public Uni<Response> cancel(
      @RestPath @Pattern(regexp = Identifiers.UUID_PATTERN, message = ID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey) {
    return idempotency.write(
        idempotencyKey,
        "POST /transfers/" + id + "/cancel",
        null,
        unit ->
            transfers
                .cancel(unit, UUID.fromString(id))
                .map(t -> idempotency.response(200, t, null)));
  }
}
