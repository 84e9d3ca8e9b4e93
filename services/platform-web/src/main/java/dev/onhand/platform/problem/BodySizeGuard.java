package dev.onhand.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body larger than the configured limit before it is read, as problem+json (the HTTP
 * server's own 413 has an empty body). Bodies sent without a Content-Length are still cut off by
 * {@code quarkus.http.limits.max-body-size}.
 */
@ApplicationScoped
public class BodySizeGuard {
  private final long limit;
  private final byte[] tooLarge;

  public BodySizeGuard(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit,
      ObjectMapper mapper)
      throws JsonProcessingException {
    this.limit = limit.asLongValue();
    this.tooLarge =
        mapper.writeValueAsBytes(
            Problem.of(
                413,
                "PAYLOAD_TOO_LARGE",
                "Payload too large",
                "The request body exceeds " + this.limit + " bytes."));
  }

  void install(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE + 10)
        .handler(
            ctx -> {
              String length = ctx.request().getHeader("Content-Length");
              if (length != null && exceeds(length)) {
                ctx.response()
                    .setStatusCode(413)
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close")
                    .end(io.vertx.core.buffer.Buffer.buffer(tooLarge));
                return;
              }
              ctx.next();
            });
  }

  private boolean exceeds(String length) {
    try {
      return Long.parseLong(length.trim()) > limit;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
