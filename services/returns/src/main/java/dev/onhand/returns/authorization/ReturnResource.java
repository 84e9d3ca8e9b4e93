package dev.onhand.returns.authorization;

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

@Path("/api/v1/returns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "returns")
public class ReturnResource {
  private static final String UUID_PATTERN = Identifiers.UUID_PATTERN;
  private static final String UUID_MESSAGE = "must be a return id (a UUID)";

  private final ReturnService service;
  private final ReturnRepository returns;
  private final IdempotencyKeys idempotency;
  private final Pool pool;

  public ReturnResource(
      ReturnService service, ReturnRepository returns, IdempotencyKeys idempotency, Pool pool) {
    this.service = service;
    this.returns = returns;
    this.idempotency = idempotency;
    this.pool = pool;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Authorise a return (RMA)",
      description =
          "Units of an order named by orderId or by channel and channelOrderId. 422 ORDER_NOT_SHIPPED"
              + " when nothing of it shipped, EXCEEDS_SHIPPED beyond what shipped and is not"
              + " already returnable.")
  @APIResponse(
      responseCode = "201",
      description = "Authorised",
      content = @Content(schema = @Schema(implementation = CustomerReturn.class)))
  public Uni<Response> authorize(
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid @NotNull Requests.Authorize body) {
    return idempotency.write(
        idempotencyKey,
        "POST /returns",
        body,
        unit ->
            service
                .authorize(unit, body)
                .map(r -> idempotency.response(201, r, "/api/v1/returns/" + r.id())));
  }

  @POST
  @Path("/unexpected")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Record a return that arrived without an authorisation",
      description =
          "Its units go to stock by condition like any receipt, and each SKU raises"
              + " UNEXPECTED_RETURN.")
  @APIResponse(
      responseCode = "201",
      description = "Recorded",
      content = @Content(schema = @Schema(implementation = CustomerReturn.class)))
  public Uni<Response> unexpected(
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid @NotNull Requests.Unexpected body) {
    return idempotency.write(
        idempotencyKey,
        "POST /returns/unexpected",
        body,
        unit ->
            service
                .unexpected(unit, body)
                .map(r -> idempotency.response(201, r, "/api/v1/returns/" + r.id())));
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "A return with its lines, units awaiting inspection and exceptions")
  public Uni<CustomerReturn> get(
      @RestPath @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String id) {
    return returns
        .find(pool, UUID.fromString(id))
        .onItem()
        .ifNull()
        .failWith(() -> ProblemException.notFound("RETURN_NOT_FOUND", "No return " + id + "."));
  }

  @POST
  @Path("/{id}/receipts")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Receive returned units by condition",
      description =
          "SELLABLE → available, NEEDS_INSPECTION → qualityControl, DAMAGED and DEFECTIVE →"
              + " damaged, MISSING → a MISSING_RETURN exception; more than authorised raises"
              + " OVER_RETURN. 409 RETURN_CLOSED once received in full or expired.")
  @APIResponse(
      responseCode = "201",
      description = "Received; the return as it stands",
      content = @Content(schema = @Schema(implementation = CustomerReturn.class)))
  public Uni<Response> receive(
      @RestPath @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid @NotNull Requests.Receipt body) {
    return idempotency.write(
        idempotencyKey,
        "POST /returns/" + id + "/receipts",
        body,
        unit ->
            service
                .receive(unit, UUID.fromString(id), body)
                .map(r -> idempotency.response(201, r, null)));
  }

  @POST
  @Path("/{id}/inspections")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Decide what becomes of quality-control units",
      description =
          "RESTOCK → available, DAMAGED → damaged, WRITE_OFF and RETURN_TO_VENDOR leave stock."
              + " 422 EXCEEDS_AWAITING beyond the return's units awaiting inspection there.")
  @APIResponse(
      responseCode = "201",
      description = "Recorded; the return as it stands",
      content = @Content(schema = @Schema(implementation = CustomerReturn.class)))
  public Uni<Response> inspect(
      @RestPath @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid @NotNull Requests.Inspection body) {
    return idempotency.write(
        idempotencyKey,
        "POST /returns/" + id + "/inspections",
        body,
        unit ->
            service
                .inspect(unit, UUID.fromString(id), body)
                .map(r -> idempotency.response(201, r, null)));
  }

  @GET
  @Path("/rates/{sku}")
  @Operation(summary = "Return rate of a SKU: units returned over units shipped")
  public Uni<ReturnService.Rate> rate(
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku) {
    return service.rate(pool, sku);
  }
}
