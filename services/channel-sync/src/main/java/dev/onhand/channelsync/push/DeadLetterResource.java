package dev.onhand.channelsync.push;

import dev.onhand.channelsync.channel.ChannelRepository;
import dev.onhand.platform.api.Cursor;
import dev.onhand.platform.api.Identifiers;
import dev.onhand.platform.api.Page;
import dev.onhand.platform.idempotency.IdempotencyKeys;
import dev.onhand.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/v1/channels/{code}/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "channels")
public class DeadLetterResource {
  private final PushRepository pushes;
  private final ChannelRepository channels;
  private final IdempotencyKeys idempotency;
  private final Pool pool;

  public DeadLetterResource(
      PushRepository pushes, ChannelRepository channels, IdempotencyKeys idempotency, Pool pool) {
    this.pushes = pushes;
    this.channels = channels;
    this.idempotency = idempotency;
    this.pool = pool;
  }

  /** The body of a replay: the SKUs to push again; none named replays every dead letter. */
  @Schema(name = "ChannelReplayRequest")
  public record ReplayRequest(
      @Size(min = 1, max = 500)
          List<
                  @NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
                  String>
              skus) {}

  @Schema(name = "ChannelReplayResult")
  public record ReplayResult(int replayed, List<String> skus) {}

  @GET
  @Operation(
      summary = "SKUs whose pushes to the channel stopped",
      description =
          "After onhand.channel-sync.push.max-attempts failed attempts, or at once when the"
              + " channel refused a push for good. Newer quantities are still computed; a replay"
              + " pushes the current one.")
  public Uni<Page<ChannelDeadLetter>> list(
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String code,
      @RestQuery String after,
      @RestQuery Integer limit) {
    int size = Cursor.limit(limit);
    var cursor = Cursor.decode(after, 1);
    return requireChannel(code)
        .chain(() -> pushes.deadLetters(code, cursor.isEmpty() ? null : cursor.get(0), size));
  }

  @POST
  @Path("/replay")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Push dead-lettered SKUs again",
      description =
          "Each named SKU (every dead-lettered one when none is named) is due at once with a fresh"
              + " count of attempts, and its current quantity is pushed. SKUs that are not dead"
              + " letters are left alone.")
  @APIResponse(
      responseCode = "200",
      description = "The SKUs due again",
      content = @Content(schema = @Schema(implementation = ReplayResult.class)))
  public Uni<Response> replay(
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String code,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid ReplayRequest body) {
    List<String> skus = body == null ? null : body.skus();
    return idempotency.write(
        idempotencyKey,
        "POST /channels/" + code + "/dead-letters/replay",
        body,
        unit ->
            channels
                .find(unit.sql(), code)
                .invoke(channel -> requireFound(channel, code))
                .chain(() -> pushes.replay(unit.sql(), code, skus))
                .map(
                    replayed ->
                        idempotency.response(
                            200, new ReplayResult(replayed.size(), replayed), null)));
  }

  private Uni<Void> requireChannel(String code) {
    return channels
        .find(pool, code)
        .invoke(channel -> requireFound(channel, code))
        .replaceWithVoid();
  }

  private static void requireFound(Object channel, String code) {
    if (channel == null) {
      throw ProblemException.notFound("CHANNEL_NOT_FOUND", "No channel " + code + ".");
    }
  }
}
