package dev.onhand.stock.exceptions;

import dev.onhand.platform.api.Actor;
import dev.onhand.platform.api.Cursor;
import dev.onhand.platform.api.Identifiers;
import dev.onhand.platform.api.Page;
import dev.onhand.platform.idempotency.IdempotencyKeys;
import dev.onhand.platform.problem.FieldError;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.UnitOfWork;
import dev.onhand.stock.adjustment.AdjustmentRequest;
import dev.onhand.stock.adjustment.AdjustmentService;
import dev.onhand.stock.ledger.Bucket;
import dev.onhand.stock.ledger.Reason;
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
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/v1/exceptions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "exceptions")
public class ExceptionResource {
  private static final Set<String> STATUSES = Set.of("OPEN", "RESOLVED");

  private final ExceptionRegister register;
  private final AdjustmentService adjustments;
  private final IdempotencyKeys idempotency;

  public ExceptionResource(
      ExceptionRegister register, AdjustmentService adjustments, IdempotencyKeys idempotency) {
    this.register = register;
    this.adjustments = adjustments;
    this.idempotency = idempotency;
  }

  @GET
  @Operation(
      summary = "The exception register, oldest first, a page at a time",
      description = "Every service's operational exceptions, each once; filter by status and type.")
  public Uni<Page<ExceptionEntry>> list(
      @RestQuery String status,
      @RestQuery @Pattern(regexp = "^[A-Z_]{1,40}$", message = "must be an exception kind")
          String type,
      @RestQuery String after,
      @RestQuery Integer limit) {
    if (status != null && !STATUSES.contains(status)) {
      throw ProblemException.validation(
          List.of(new FieldError("status", "INVALID_VALUE", "OPEN or RESOLVED")));
    }
    int size = Cursor.limit(limit);
    var cursor = Cursor.decode(after, 2);
    return register.list(
        status,
        type,
        cursor.isEmpty() ? null : cursor.get(0),
        cursor.isEmpty() ? null : cursor.get(1),
        size);
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One exception")
  public Uni<ExceptionEntry> get(
      @RestPath @Pattern(regexp = Identifiers.UUID_PATTERN, message = "must be a UUID") String id) {
    return register.find(UUID.fromString(id)).onItem().ifNull().failWith(() -> notFound(id));
  }

  @POST
  @Path("/{id}/resolve")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Resolve an exception with an action",
      description =
          "WRITE_OFF removes quantity units of its SKU at its location (reason write_off), ADJUST"
              + " posts an adjustment, DISMISS records a note; the actor and time are kept. 409"
              + " EXCEPTION_RESOLVED once resolved.")
  @APIResponse(
      responseCode = "200",
      description = "Resolved",
      content = @Content(schema = @Schema(implementation = ExceptionEntry.class)))
  public Uni<Response> resolve(
      @RestPath @Pattern(regexp = Identifiers.UUID_PATTERN, message = "must be a UUID") String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @RestHeader(Actor.HEADER) String actor,
      @Valid @NotNull ResolveRequest body) {
    UUID exceptionId = UUID.fromString(id);
    return idempotency.write(
        idempotencyKey,
        "POST /exceptions/" + id + "/resolve",
        body,
        unit ->
            register
                .find(unit.sql(), exceptionId, true)
                .chain(
                    entry -> {
                      if (entry == null) {
                        throw notFound(id);
                      }
                      if (!entry.status().equals("OPEN")) {
                        throw ProblemException.conflict(
                            "EXCEPTION_RESOLVED", "Exception " + id + " is already resolved.");
                      }
                      return act(unit, entry, body, Actor.of(actor), idempotencyKey);
                    })
                .chain(
                    () ->
                        register.resolve(
                            unit.sql(),
                            exceptionId,
                            body.action().name(),
                            Actor.of(actor),
                            body.note()))
                .chain(() -> register.find(unit.sql(), exceptionId, false))
                .map(entry -> idempotency.response(200, entry, null)));
  }

  private Uni<Void> act(
      UnitOfWork unit, ExceptionEntry entry, ResolveRequest body, String actor, String key) {
    String reference = "exception:" + entry.id();
    switch (body.action()) {
      case WRITE_OFF:
        if (body.quantity() == null || entry.sku() == null || entry.location() == null) {
          throw ProblemException.validation(
              List.of(
                  new FieldError(
                      "quantity",
                      "REQUIRED",
                      "a write-off needs a quantity and an exception naming a SKU and location")));
        }
        AdjustmentRequest writeOff =
            new AdjustmentRequest(
                Reason.WRITE_OFF,
                reference,
                List.of(
                    new AdjustmentRequest.Line(
                        entry.sku(),
                        entry.location(),
                        body.state() == null ? Bucket.AVAILABLE : body.state(),
                        -body.quantity(),
                        null,
                        null)));
        return adjustments.adjust(unit, writeOff, actor, key).replaceWithVoid();
      case ADJUST:
        if (body.adjustment() == null) {
          throw ProblemException.validation(
              List.of(new FieldError("adjustment", "REQUIRED", "the adjustment to post")));
        }
        AdjustmentRequest adjustment =
            new AdjustmentRequest(
                body.adjustment().reason(),
                body.adjustment().reference() == null ? reference : body.adjustment().reference(),
                body.adjustment().lines());
        return adjustments.adjust(unit, adjustment, actor, key).replaceWithVoid();
      default:
        if (body.note() == null || body.note().isBlank()) {
          throw ProblemException.validation(
              List.of(new FieldError("note", "REQUIRED", "say why the exception is dismissed")));
        }
        return Uni.createFrom().voidItem();
    }
  }

  private static ProblemException notFound(String id) {
    return ProblemException.notFound("EXCEPTION_NOT_FOUND", "No exception " + id + ".");
  }
}
