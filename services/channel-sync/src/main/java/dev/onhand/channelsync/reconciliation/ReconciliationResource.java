package dev.onhand.channelsync.reconciliation;

import dev.onhand.channelsync.channel.ChannelRepository;
import dev.onhand.channelsync.reconciliation.Reconciliation.Status;
import dev.onhand.channelsync.reconciliation.Reconciliation.Trigger;
import dev.onhand.platform.api.Identifiers;
import dev.onhand.platform.idempotency.IdempotencyKeys;
import dev.onhand.platform.idempotency.StoredResponse;
import dev.onhand.platform.problem.ProblemException;
import dev.onhand.platform.tx.Transactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

@Path("/api/v1/channels/{code}/reconciliations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "channels")
public class ReconciliationResource {
  private static final String ID_MESSAGE = "must be a UUID";

  private final Reconciler reconciler;
  private final ReconciliationRepository reconciliations;
  private final ChannelRepository channels;
  private final IdempotencyKeys idempotency;
  private final Transactions transactions;
  private final Pool pool;

  public ReconciliationResource(
      Reconciler reconciler,
      ReconciliationRepository reconciliations,
      ChannelRepository channels,
      IdempotencyKeys idempotency,
      Transactions transactions,
      Pool pool) {
    this.reconciler = reconciler;
    this.reconciliations = reconciliations;
    this.channels = channels;
    this.idempotency = idempotency;
    this.transactions = transactions;
    this.pool = pool;
  }

  @POST
  @Operation(
      summary = "Reconcile the channel now",
      description =
          "Starts a reconciliation on this replica and answers at once with its id (status"
              + " RUNNING); GET it for the report. Each listing's quantity on the channel is read"
              + " back and compared with the one the channel last applied: a newer quantity on its"
              + " way is IN_FLIGHT, not drift; DRIFT is corrected by pushing the current quantity"
              + " again, and beyond onhand.channel-sync.reconciliation.drift-tolerance units"
              + " raises CHANNEL_DRIFT in stock's exception register. A channel that cannot be"
              + " read back (a generic webhook) is reported UNREADABLE and left alone.")
  @APIResponse(
      responseCode = "202",
      description = "The reconciliation, started",
      content = @Content(schema = @Schema(implementation = Reconciliation.class)))
  public Uni<Response> start(
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String code,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey) {
    AtomicReference<UUID> started = new AtomicReference<>();
    IdempotencyKeys.Request request =
        idempotency.request(idempotencyKey, "POST /channels/" + code + "/reconciliations", null);
    return transactions
        .run(
            unit ->
                idempotency.execute(
                    unit,
                    request,
                    () ->
                        channels
                            .find(unit.sql(), code)
                            .invoke(channel -> requireChannel(channel, code))
                            .chain(() -> reconciler.begin(unit, code, Trigger.ON_DEMAND))
                            .invoke(started::set)
                            .map(id -> accepted(code, id))))
        .invoke(
            (StoredResponse response) -> {
              if (!response.replayed() && started.get() != null) {
                reconciler.start(started.get(), code);
              }
            })
        .map(StoredResponse::toResponse);
  }

  @GET
  @Path("/{id}")
  @Operation(
      summary = "A reconciliation of the channel and what it found",
      description =
          "Counts and, per listing (in SKU order), the channel's quantity, the one it last"
              + " applied (expected), the one computed now, the state (MATCH, DRIFT, IN_FLIGHT,"
              + " MISSING, UNREADABLE) and whether the drift was corrected.")
  public Uni<Reconciliation> get(
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String code,
      @RestPath @Pattern(regexp = Identifiers.UUID_PATTERN, message = ID_MESSAGE) String id) {
    return reconciliations
        .find(pool, code, UUID.fromString(id))
        .invoke(
            found -> {
              if (found == null) {
                throw ProblemException.notFound(
                    "RECONCILIATION_NOT_FOUND",
                    "No reconciliation " + id + " of channel " + code + ".");
              }
            });
  }

  private StoredResponse accepted(String code, UUID id) {
    Reconciliation running =
        new Reconciliation(
            id,
            code,
            Trigger.ON_DEMAND,
            Status.RUNNING,
            null,
            null,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            null,
            List.of());
    return idempotency.response(
        202, running, "/api/v1/channels/" + code + "/reconciliations/" + id);
  }

  private static void requireChannel(Object channel, String code) {
    if (channel == null) {
      throw ProblemException.notFound("CHANNEL_NOT_FOUND", "No channel " + code + ".");
    }
  }
}
