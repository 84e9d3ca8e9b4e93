package dev.onhand.platform.deadletter;

import dev.onhand.platform.api.Cursor;
import dev.onhand.platform.api.Page;
import dev.onhand.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Operators' calls on every service (the gateway routes {@code /api/v1/admin/<service>} with the
 * {@code admin} scope): list the messages its inbox dead-lettered and replay them. Not part of the
 * integrators' API, so left out of the OpenAPI documents.
 */
@Path("/api/v1/admin/{service}/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {
  private final DeadLetters deadLetters;
  private final String service;

  public DeadLetterResource(
      DeadLetters deadLetters, @ConfigProperty(name = "onhand.service") String service) {
    this.deadLetters = deadLetters;
    this.service = service;
  }

  @GET
  @Operation(hidden = true)
  public Uni<Page<DeadLetter>> list(
      @RestPath String service,
      @RestQuery String consumer,
      @RestQuery String after,
      @RestQuery Integer limit) {
    requireService(service);
    deadLetters.requireConsumer(consumer);
    int size = Cursor.limit(limit);
    return deadLetters.list(consumer, Cursor.decode(after, 3), size);
  }

  @POST
  @Path("/replay")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(hidden = true)
  public Uni<ReplayResult> replay(@RestPath String service, @Valid @NotNull ReplayRequest body) {
    requireService(service);
    return deadLetters.replay(body.consumer(), body.messageIds());
  }

  /** Each service answers for itself only. */
  private void requireService(String requested) {
    if (!service.equals(requested)) {
      throw ProblemException.notFound("NOT_FOUND", "No resource at this path.");
    }
  }
}
