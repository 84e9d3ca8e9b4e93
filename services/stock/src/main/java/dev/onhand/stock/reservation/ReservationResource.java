package dev.onhand.stock.reservation;

import dev.onhand.platform.api.Actor;
import dev.onhand.platform.idempotency.IdempotencyKeys;
import dev.onhand.platform.messaging.TraceHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

@Path("/api/v1/reservations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "reservations")
public class ReservationResource {
  private final ReservationBatcher batcher;
  private final ReservationService reservations;
  private final IdempotencyKeys idempotency;
  private final Duration defaultExpiry;

  public ReservationResource(
      ReservationBatcher batcher,
      ReservationService reservations,
      IdempotencyKeys idempotency,
      @ConfigProperty(name = "onhand.stock.reservations.default-expiry") Duration defaultExpiry) {
    this.batcher = batcher;
    this.reservations = reservations;
    this.idempotency = idempotency;
    this.defaultExpiry = defaultExpiry;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Reserve units of every line, or none",
      description =
          "Available units move to committed. 409 INSUFFICIENT_STOCK names the short lines."
              + " Without expiresInSeconds the reservation expires after the service's default.")
  @APIResponse(
      responseCode = "201",
      description = "Reserved",
      content = @Content(schema = @Schema(implementation = Reservation.class)))
  public Uni<Response> reserve(
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @RestHeader(Actor.HEADER) String actor,
      @Valid @NotNull ReservationRequest body) {
    var lines =
        body.lines().stream()
            .map(l -> new Demand.Line(l.sku(), l.location(), l.quantity()))
            .toList();
    Demand.requireDistinctLines(lines);
    var key = idempotency.request(idempotencyKey, "POST /reservations", body);
    Duration expiry =
        body.expiresInSeconds() == null
            ? defaultExpiry
            : Duration.ofSeconds(body.expiresInSeconds());
    Demand demand =
        new Demand(
            body.reference(),
            lines,
            OffsetDateTime.now().plus(expiry),
            Actor.of(actor),
            idempotencyKey,
            null,
            TraceHeaders.current());
    return batcher.submit(new ReservationBatcher.Request(demand, key));
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "A reservation, its lines and what shipped or was released")
  public Uni<Reservation> get(@RestPath UUID id) {
    return reservations.find(id).onItem().ifNull().failWith(() -> ReservationService.notFound(id));
  }

  @POST
  @Path("/{id}/release")
  @Operation(
      summary = "Release a reservation, whole or in part",
      description = "Open units return from committed to available.")
  @APIResponse(
      responseCode = "200",
      description = "Released",
      content = @Content(schema = @Schema(implementation = Reservation.class)))
  public Uni<Response> release(
      @RestPath UUID id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @RestHeader(Actor.HEADER) String actor,
      @Valid ReleaseRequest body) {
    var lines = body == null ? null : body.lines();
    return idempotency.write(
        idempotencyKey,
        "POST /reservations/" + id + "/release",
        body == null ? new ReleaseRequest(null) : body,
        unit ->
            reservations
                .release(unit, id, lines, Actor.of(actor), idempotencyKey, "released")
                .map(r -> idempotency.response(200, r, null)));
  }

  @POST
  @Path("/{id}/extend")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Move a reservation's expiry to this many seconds from now")
  @APIResponse(
      responseCode = "200",
      description = "Extended",
      content = @Content(schema = @Schema(implementation = Reservation.class)))
  public Uni<Response> extend(
      @RestPath UUID id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid @NotNull ExtendRequest body) {
    return idempotency.write(
        idempotencyKey,
        "POST /reservations/" + id + "/extend",
        body,
        unit ->
            reservations
                .extend(unit, id, body.expiresInSeconds())
                .map(r -> idempotency.response(200, r, null)));
  }
}
