package dev.onhand.fulfillment.order;

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

@Path("/api/v1/orders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "orders")
public class OrderResource {
  private static final String UUID_PATTERN = Identifiers.UUID_PATTERN;
  private static final String UUID_MESSAGE = "must be an order id (a UUID)";

  private final OrderService service;
  private final OrderRepository orders;
  private final IdempotencyKeys idempotency;
  private final Pool pool;

  public OrderResource(
      OrderService service, OrderRepository orders, IdempotencyKeys idempotency, Pool pool) {
    this.service = service;
    this.orders = orders;
    this.idempotency = idempotency;
    this.pool = pool;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Place an order",
      description =
          "Answers 202 with the order: its lines are being reserved through stock, and its status"
              + " moves from RECEIVED to ALLOCATED, PARTIALLY_ALLOCATED or BACKORDERED. The same"
              + " (channel, channelOrderId) again returns the order already placed. 422 UNKNOWN_SKU"
              + " when stock does not know a SKU.")
  @APIResponse(
      responseCode = "202",
      description = "Accepted",
      content = @Content(schema = @Schema(implementation = Order.class)))
  public Uni<Response> place(
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid @NotNull OrderRequest body) {
    return idempotency.write(
        idempotencyKey,
        "POST /orders",
        body,
        unit ->
            service
                .place(unit, body)
                .map(o -> idempotency.response(202, o, "/api/v1/orders/" + o.id())));
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "An order with its lines, allocations, shipments and status history")
  public Uni<Order> get(
      @RestPath @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String id) {
    return orders
        .find(pool, UUID.fromString(id))
        .onItem()
        .ifNull()
        .failWith(() -> ProblemException.notFound("ORDER_NOT_FOUND", "No order " + id + "."));
  }

  @POST
  @Path("/{id}/shipments")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Record units of the order that left a location",
      description =
          "They leave stock's committed units. 422 EXCEEDS_ALLOCATED when more than is reserved"
              + " for the order there; 409 ORDER_CLOSED once shipped or cancelled.")
  @APIResponse(
      responseCode = "201",
      description = "Recorded; the order as it stands",
      content = @Content(schema = @Schema(implementation = Order.class)))
  public Uni<Response> ship(
      @RestPath @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid @NotNull ShipmentRequest body) {
    return idempotency.write(
        idempotencyKey,
        "POST /orders/" + id + "/shipments",
        body,
        unit ->
            service
                .ship(unit, UUID.fromString(id), body)
                .map(o -> idempotency.response(201, o, null)));
  }

  @POST
  @Path("/{id}/cancel")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Cancel the order, or some of its units",
      description =
          "Units not yet shipped: backordered ones first, then reserved ones, whose reservations"
              + " are released. 409 ORDER_CLOSED once shipped or cancelled.")
  @APIResponse(
      responseCode = "200",
      description = "Cancelled; the order as it stands",
      content = @Content(schema = @Schema(implementation = Order.class)))
  public Uni<Response> cancel(
      @RestPath @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid CancelRequest body) {
    CancelRequest request = body == null ? new CancelRequest(null, null) : body;
    return idempotency.write(
        idempotencyKey,
        "POST /orders/" + id + "/cancel",
        request,
        unit ->
            service
                .cancel(unit, UUID.fromString(id), request)
                .map(o -> idempotency.response(200, o, null)));
  }

  @POST
  @Path("/{id}/pick-exceptions")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Report a short pick or a mispick",
      description =
          "SHORT_PICK: reserved units are not at the location: they leave stock as lost and the"
              + " line is allocated again elsewhere. MISPICK: shippedSku left instead of sku: the"
              + " units count as shipped, sku's reserved units return to available and shippedSku"
              + " leaves available. Each raises fulfillment.exception.raised. 422"
              + " EXCEEDS_ALLOCATED when more than is reserved there.")
  @APIResponse(
      responseCode = "201",
      description = "Recorded; the order as it stands",
      content = @Content(schema = @Schema(implementation = Order.class)))
  public Uni<Response> pickException(
      @RestPath @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid @NotNull PickExceptionRequest body) {
    return idempotency.write(
        idempotencyKey,
        "POST /orders/" + id + "/pick-exceptions",
        body,
        unit ->
            service
                .pickException(unit, UUID.fromString(id), body)
                .map(o -> idempotency.response(201, o, null)));
  }
}
