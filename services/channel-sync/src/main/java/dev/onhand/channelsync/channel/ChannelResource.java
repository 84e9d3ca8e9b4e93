package dev.onhand.channelsync.channel;

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
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
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
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/v1/channels")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "channels")
public class ChannelResource {
  private final ChannelService service;
  private final ChannelRepository channels;
  private final IdempotencyKeys idempotency;
  private final Pool pool;

  public ChannelResource(
      ChannelService service, ChannelRepository channels, IdempotencyKeys idempotency, Pool pool) {
    this.service = service;
    this.channels = channels;
    this.idempotency = idempotency;
    this.pool = pool;
  }

  @PUT
  @Path("/{code}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Create or replace a channel",
      description =
          "Its eligible locations must be known to stock (422 UNKNOWN_LOCATION); credentials are"
              + " references (422 INVALID_CREDENTIAL_REFERENCE otherwise); each type needs its"
              + " settings (422 MISSING_SETTING, INVALID_SETTING, MISSING_CREDENTIAL). A channel"
              + " keeps its type (409 CHANNEL_TYPE_CHANGED). Every change is announced as"
              + " channel-sync.channel.changed and recomputes the channel's sellable quantities;"
              + " a new endpoint or settings push every listing again.")
  @APIResponse(
      responseCode = "201",
      description = "Created",
      content = @Content(schema = @Schema(implementation = Channel.class)))
  @APIResponse(
      responseCode = "200",
      description = "Replaced (or unchanged)",
      content = @Content(schema = @Schema(implementation = Channel.class)))
  public Uni<Response> put(
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String code,
      @RestHeader(IdempotencyKeys.HEADER) String idempotencyKey,
      @Valid @NotNull ChannelRequest body) {
    return idempotency.write(
        idempotencyKey,
        "PUT /channels/" + code,
        body,
        unit ->
            service
                .put(unit, code, body)
                .map(
                    written ->
                        idempotency.response(
                            written.created() ? 201 : 200,
                            written.value(),
                            written.created() ? "/api/v1/channels/" + code : null)));
  }

  @GET
  @Path("/{code}")
  @Operation(summary = "A channel")
  public Uni<Channel> get(
      @RestPath @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String code) {
    return channels
        .find(pool, code)
        .onItem()
        .ifNull()
        .failWith(() -> ProblemException.notFound("CHANNEL_NOT_FOUND", "No channel " + code + "."));
  }

  @GET
  @Operation(summary = "Channels, by code, a page at a time")
  public Uni<Page<Channel>> list(@RestQuery String after, @RestQuery Integer limit) {
    int size = Cursor.limit(limit);
    var cursor = Cursor.decode(after, 1);
    return channels.list(pool, cursor.isEmpty() ? null : cursor.get(0), size);
  }
}
