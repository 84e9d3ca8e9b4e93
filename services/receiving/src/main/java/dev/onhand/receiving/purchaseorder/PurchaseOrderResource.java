package dev.onhand.receiving.purchaseorder;

import dev.onhand.platform.api.Actor;
import dev.onhand.platform.api.Cursor;
import dev.onhand.platform.api.Identifiers;
import dev.onhand.platform.api.Page;
import dev.onhand.platform.idempotency.IdempotencyKeys;
import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
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
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/v1/purchase-orders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "purchase orders")
public class PurchaseOrderResource {
  private static final String UUID_PATTERN = Identifiers.UUID_PATTERN;
  private static final String UUID_MESSAGE = "must be a purchase order id (a UUID)";

  private final PurchaseOrderService service;
  private final PurchaseOrderRepository repository;
  private final IdempotencyKeys idempotency;

  public PurchaseOrderResource(
      PurchaseOrderService service,
      PurchaseOrderRepository repository,
      IdempotencyKeys idempotency) {
    this.service = service;
    this.repository = repository;
    this.idempotency = idempotency;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Create a purchase order",
      description =
          "Its quantities become incoming at the location in stock. 409 PURCHASE_ORDER_EXISTS when"
              + " the number is taken; 422 UNKNOWN_LOCATION or UNKNOWN_SKU when stock does not know"
              + " them.")
  @APIResponse(
      responseCode = "201",
      description = "Created",
      content = @Content(schema = @Schema(implementation = PurchaseOrder.class)))
  public Uni<Response> create(
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @RestHeader(Actor.HEADER) String actor,
      @Valid @NotNull PurchaseOrderRequest body) {
    return idempotency.write(
        idempotencyKey,
        "POST /purchase-orders",
        body,
        unit ->
            service
                .create(unit, body, Actor.of(actor))
                .map(po -> idempotency.response(201, po, "/api/v1/purchase-orders/" + po.id())));
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "A purchase order with its lines, receipts, ship notices and exceptions")
  public Uni<PurchaseOrder> get(
      @RestPath @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String id) {
    return repository.find(UUID.fromString(id)).onItem().ifNull().failWith(() -> notFound(id));
  }

  @GET
  @Operation(
      summary = "Purchase orders, by number, a page at a time",
      description = "expectedBefore keeps those expected before that date.")
  public Uni<Page<PurchaseOrder.Summary>> list(
      @RestQuery String status,
      @RestQuery @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String location,
      @RestQuery String supplier,
      @RestQuery String expectedBefore,
      @RestQuery String after,
      @RestQuery Integer limit) {
    int size = Cursor.limit(limit);
    var cursor = Cursor.decode(after, 1);
    return repository.list(
        new PurchaseOrderRepository.Filter(
            parse("status", status, PurchaseOrderStatus::valueOf),
            location,
            supplier,
            parse("expectedBefore", expectedBefore, LocalDate::parse)),
        cursor.isEmpty() ? null : cursor.get(0),
        size);
  }

  @POST
  @Path("/{id}/receipts")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Record a delivery against the purchase order",
      description =
          "Good units move from incoming into available, damaged units into damaged. Over-delivery"
              + " beyond the tolerance and SKUs the PO did not order raise exceptions. 409"
              + " PURCHASE_ORDER_CLOSED once the PO is closed or cancelled.")
  @APIResponse(
      responseCode = "201",
      description = "Received; the purchase order as it stands",
      content = @Content(schema = @Schema(implementation = PurchaseOrder.class)))
  public Uni<Response> receive(
      @RestPath @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @RestHeader(Actor.HEADER) String actor,
      @Valid @NotNull ReceiptRequest body) {
    return idempotency.write(
        idempotencyKey,
        "POST /purchase-orders/" + id + "/receipts",
        body,
        unit ->
            service
                .receive(unit, UUID.fromString(id), body, Actor.of(actor))
                .map(po -> idempotency.response(201, po, null)));
  }

  @POST
  @Path("/{id}/ship-notices")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Record an advance ship notice: what is on its way")
  @APIResponse(
      responseCode = "201",
      description = "Recorded; the purchase order as it stands",
      content = @Content(schema = @Schema(implementation = PurchaseOrder.class)))
  public Uni<Response> notice(
      @RestPath @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid @NotNull ShipNoticeRequest body) {
    return idempotency.write(
        idempotencyKey,
        "POST /purchase-orders/" + id + "/ship-notices",
        body,
        unit ->
            service
                .notice(unit, UUID.fromString(id), body)
                .map(po -> idempotency.response(201, po, null)));
  }

  @POST
  @Path("/{id}/close")
  @Operation(
      summary = "Close the purchase order",
      description =
          "What has not arrived is no longer expected: stock's incoming falls by it. Lines short"
              + " beyond the tolerance raise exceptions.")
  @APIResponse(
      responseCode = "200",
      description = "Closed",
      content = @Content(schema = @Schema(implementation = PurchaseOrder.class)))
  public Uni<Response> close(
      @RestPath @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey) {
    return idempotency.write(
        idempotencyKey,
        "POST /purchase-orders/" + id + "/close",
        null,
        unit ->
            service
                .close(unit, UUID.fromString(id))
                .map(po -> idempotency.response(200, po, null)));
  }

  @POST
  @Path("/{id}/cancel")
  @Operation(
      summary = "Cancel the purchase order before anything arrived",
      description = "All its incoming goes. 409 PURCHASE_ORDER_RECEIVED once units have arrived.")
  @APIResponse(
      responseCode = "200",
      description = "Cancelled",
      content = @Content(schema = @Schema(implementation = PurchaseOrder.class)))
  public Uni<Response> cancel(
      @RestPath @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey) {
    return idempotency.write(
        idempotencyKey,
        "POST /purchase-orders/" + id + "/cancel",
        null,
        unit ->
            service
                .cancel(unit, UUID.fromString(id))
                .map(po -> idempotency.response(200, po, null)));
  }

  /** A query parameter's value, or 400 naming the parameter (never the framework's 404). */
  private static <T> T parse(String name, String value, Function<String, T> parser) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      throw ProblemException.validation(
          List.of(new FieldError(name, "INVALID_VALUE", "not a valid " + name + ": " + value)));
    }
  }

  private static ProblemException notFound(String id) {
    return ProblemException.notFound("PURCHASE_ORDER_NOT_FOUND", "No purchase order " + id + ".");
  }
}
