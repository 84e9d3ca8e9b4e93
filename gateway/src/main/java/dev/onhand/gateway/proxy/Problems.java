package dev.onhand.gateway.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.platform.problem.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;

/** The gateway's own answers, in the same problem+json as the services'. */
@ApplicationScoped
public class Problems {
  private final ObjectMapper mapper;

  public Problems(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public Buffer body(int status, String code, String title, String detail, String instance) {
    try {
      return Buffer.buffer(
          mapper.writeValueAsBytes(Problem.of(status, code, title, detail).withInstance(instance)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public void send(
      HttpServerResponse response,
      int status,
      String code,
      String title,
      String detail,
      String instance) {
    response
        .setStatusCode(status)
        .putHeader("Content-Type", Problem.MEDIA_TYPE)
        .end(body(status, code, title, detail, instance));
  }
}
