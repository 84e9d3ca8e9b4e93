package dev.onhand.stock.count;

import dev.onhand.platform.api.Actor;
import dev.onhand.platform.api.Identifiers;
import dev.onhand.platform.api.Period;
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
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/v1/counts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "counts")
public class CountResource {
  private static final String ID_MESSAGE = "must be a count id (a UUID)";

  private final CycleCountService counts;
  private final CountAccuracy accuracy;
  private final IdempotencyKeys idempotency;
  private final Pool pool;

  public CountResource(
      CycleCountService counts, CountAccuracy accuracy, IdempotencyKeys idempotency, Pool pool) {
    this.counts = counts;
    this.accuracy = accuracy;
    this.idempotency = idempotency;
    this.pool = pool;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Start a cycle count at a location",
      description =
          "Counts the listed skus; or the SKUs of one abcClass; or (neither) every SKU with a"
              + " balance at the location. ABC classes are Pareto classes of consumption value at"
              + " the location: units shipped from it over onhand.stock.counts.abc-window (90 days)"
              + " × unit cost; ranked by value, highest first, a SKU is A when the SKUs above it"
              + " hold less than 80% of the total value, B when less than 95%, otherwise C (and C"
              + " without consumption). The start snapshots each SKU's onHand (0 without a"
              + " balance). A SKU may be in one unfinished count per location (409"
              + " COUNT_IN_PROGRESS); an empty selection is 422 NOTHING_TO_COUNT. A blind count"
              + " shows no expected quantities until its results are in.")
  @APIResponse(
      responseCode = "201",
      description = "Started",
      content = @Content(schema = @Schema(implementation = CountView.class)))
  public Uni<Response> create(
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @RestHeader(Actor.HEADER) String actor,
      @Valid @NotNull CountRequests.Create body) {
    return idempotency.write(
        idempotencyKey,
        "POST /counts",
        body,
        unit ->
            counts
                .create(unit, body, Actor.of(actor))
                .map(c -> idempotency.response(201, c, "/api/v1/counts/" + c.id())));
  }

  @GET
  @Path("/accuracy")
  @Operation(
      summary = "Inventory record accuracy per location",
      description =
          "Of the count lines whose results were recorded in [from, to), countedSkus, those"
              + " withinTolerance and accuracy = withinTolerance / countedSkus (null when nothing"
              + " was counted). Lines of rejected counts are left out. One entry per location, or"
              + " only the given location's.")
  public Uni<List<CountAccuracy.Figures>> accuracy(
      @RestQuery @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
          String location,
      @RestQuery @NotNull String from,
      @RestQuery @NotNull String to) {
    Period period = Period.of(from, to);
    OffsetDateTime start = period.from();
    OffsetDateTime end = period.to();
    return accuracy
        .byLocation(location, start, end)
        .invoke(
            figures -> {
              if (location != null && figures.isEmpty()) {
                throw ProblemException.notFound(
                    "LOCATION_NOT_FOUND", "No location " + location + ".");
              }
            });
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "A count and its lines")
  public Uni<CountView> get(
      @RestPath @Pattern(regexp = Identifiers.UUID_PATTERN, message = ID_MESSAGE) String id) {
    UUID countId = UUID.fromString(id);
    return counts
        .find(pool, countId)
        .onItem()
        .ifNull()
        .failWith(() -> CycleCountService.notFound(countId));
  }

  @POST
  @Path("/{id}/results")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Record what was counted",
      description =
          "One line per SKU of the count (422 COUNT_INCOMPLETE names the missing ones), once (409"
              + " COUNT_NOT_OPEN). expectedAtCount = the snapshot + every physical movement of the"
              + " SKU recorded after the snapshot and at or before countedAt (default: now), so"
              + " units sold or received during the count are no variance; variance = counted −"
              + " expectedAtCount. A variance of at most max(toleranceUnits, floor(tolerancePercent"
              + " % × expectedAtCount)) is applied to available at once (reason cycle_count,"
              + " reference count:<id>); a larger one, or a shortfall available cannot absorb,"
              + " waits for approval (AWAITING_APPROVAL).")
  @APIResponse(
      responseCode = "200",
      description = "Recorded",
      content = @Content(schema = @Schema(implementation = CountView.class)))
  public Uni<Response> results(
      @RestPath @Pattern(regexp = Identifiers.UUID_PATTERN, message = ID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @RestHeader(Actor.HEADER) String actor,
      @Valid @NotNull CountRequests.Results body) {
    return idempotency.write(
        idempotencyKey,
        "POST /counts/" + id + "/results",
        body,
        unit ->
            counts
                .results(unit, UUID.fromString(id), body, Actor.of(actor), idempotencyKey)
                .map(c -> idempotency.response(200, c, null)));
  }

  @POST
  @Path("/{id}/approve")
  @Operation(
      summary = "Approve the variances awaiting approval",
      description =
          "Applies every pending variance to available (reason cycle_count) in one transaction;"
              + " 409 VARIANCE_EXCEEDS_AVAILABLE, changing nothing, when a shortfall exceeds the"
              + " units available. 409 COUNT_NOT_AWAITING_APPROVAL in another status.")
  @APIResponse(
      responseCode = "200",
      description = "Approved",
      content = @Content(schema = @Schema(implementation = CountView.class)))
  public Uni<Response> approve(
      @RestPath @Pattern(regexp = Identifiers.UUID_PATTERN, message = ID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @RestHeader(Actor.HEADER) String actor,
      @Valid CountRequests.Decision body) {
    CountRequests.Decision decision = body == null ? new CountRequests.Decision(null) : body;
    return idempotency.write(
        idempotencyKey,
        "POST /counts/" + id + "/approve",
        decision,
        unit ->
            counts
                .approve(
                    unit, UUID.fromString(id), decision.note(), Actor.of(actor), idempotencyKey)
                .map(c -> idempotency.response(200, c, null)));
  }

  @POST
  @Path("/{id}/reject")
  @Operation(
      summary = "Reject the variances awaiting approval, or withdraw an open count",
      description =
          "Nothing is posted; the pending lines become REJECTED and the SKUs may be counted again."
              + " 409 COUNT_NOT_AWAITING_APPROVAL once the count is finished.")
  @APIResponse(
      responseCode = "200",
      description = "Rejected",
      content = @Content(schema = @Schema(implementation = CountView.class)))
  public Uni<Response> reject(
      @RestPath @Pattern(regexp = Identifiers.UUID_PATTERN, message = ID_MESSAGE) String id,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @RestHeader(Actor.HEADER) String actor,
      @Valid CountRequests.Decision body) {
    CountRequests.Decision decision = body == null ? new CountRequests.Decision(null) : body;
    return idempotency.write(
        idempotencyKey,
        "POST /counts/" + id + "/reject",
        decision,
        unit ->
            counts
                .reject(unit, UUID.fromString(id), decision.note(), Actor.of(actor))
                .map(c -> idempotency.response(200, c, null)));
  }
}
