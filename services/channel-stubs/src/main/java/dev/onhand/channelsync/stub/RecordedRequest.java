package dev.onhand.channelsync.stub;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One request a marketplace stub received and what it answered.
 *
 * @param at when it arrived
 * @param path the raw (still percent-encoded) path
 * @param query the query parameters, decoded (first value of each)
 * @param headers the headers, names in lower case (first value of each)
 * @param status the status answered; 0 when the stub dropped the connection instead
 * @param answer the body answered
 */
public record RecordedRequest(
    Instant at,
    String method,
    String path,
    Map<String, String> query,
    Map<String, String> headers,
    String body,
    int status,
    String answer) {

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  public String query(String name) {
    return query.get(name);
  }

  public JsonObject json() {
    return new JsonObject(body);
  }

  public JsonObject answerJson() {
    return new JsonObject(answer);
  }
}
