package dev.onhand.platform.idempotency;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * A write's response as it was first sent: status, JSON body and Location. A replay sends the same
 * bytes again, marked with {@code Idempotent-Replayed: true}.
 */
public record StoredResponse(int status, String body, String location, boolean replayed) {

  /** The same response, sent again. */
  public StoredResponse asReplay() {
    return new StoredResponse(status, body, location, true);
  }

  public Response toResponse() {
    Response.ResponseBuilder builder =
        Response.status(status).entity(body).type(MediaType.APPLICATION_JSON_TYPE);
    if (location != null) {
      builder.location(URI.create(location));
    }
    if (replayed) {
      builder.header(IdempotencyKeys.REPLAYED_HEADER, "true");
    }
    return builder.build();
  }
}
