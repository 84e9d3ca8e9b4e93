package dev.onhand.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A stock instance's HTTP API, called as an integrator would: JSON over HTTP/1.1 keep-alive
 * connections, one per concurrent client. Requests run on the shared Vert.x event loop; {@link
 * #sendAsync} is for load, {@link #send} (blocking) for setting a scenario up.
 */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_MILLIS = 30_000;

  /** Through the gateway the API needs a key (BENCH_API_KEY); the services themselves do not. */
  static final String API_KEY = System.getenv("BENCH_API_KEY");

  private final HttpClient http;
  private final int port;
  private final String apiKey;

  /** Sends BENCH_API_KEY, when it is set, with every request. */
  Api(Vertx vertx, int port, int connections) {
    this(vertx, port, connections, API_KEY);
  }

  /** Sends {@code apiKey} (none when null) with every request. */
  Api(Vertx vertx, int port, int connections, String apiKey) {
    this.port = port;
    this.apiKey = apiKey;
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setKeepAlive(true)
                .setConnectTimeout(5_000),
            new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
  }

  int port() {
    return port;
  }

  /** One response; {@code status} is -1 when the request failed without one. */
  record Reply(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        return JSON.createObjectNode();
      }
    }

    /** The problem code of a problem+json answer, or null. */
    String code() {
      if (body == null || body.isEmpty() || body.charAt(0) != '{') {
        return null;
      }
      JsonNode code = json().get("code");
      return code == null ? null : code.asText();
    }
  }

  /** Sends a request; never fails: a transport failure is a reply with status -1. */
  Future<Reply> sendAsync(String method, String path, String json, String idempotencyKey) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(method))
            .setURI("/api/v1" + path)
            .setIdleTimeout(TIMEOUT_MILLIS)
            .addHeader("Accept", "application/json");
    if (json != null) {
      options.addHeader("Content-Type", "application/json");
    }
    if (idempotencyKey != null) {
      options.addHeader("Idempotency-Key", idempotencyKey);
    }
    if (apiKey != null) {
      options.addHeader("Authorization", "Bearer " + apiKey);
    }
    return http.request(options)
        .compose(request -> json == null ? request.send() : request.send(Buffer.buffer(json)))
        .compose(
            response ->
                response.body().map(body -> new Reply(response.statusCode(), body.toString())))
        .otherwise(
            failure ->
                new Reply(-1, failure.getClass().getSimpleName() + ": " + failure.getMessage()));
  }

  Reply send(String method, String path, String json, String idempotencyKey) {
    try {
      return sendAsync(method, path, json, idempotencyKey)
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT_MILLIS + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(-1, "interrupted");
    } catch (ExecutionException | TimeoutException e) {
      return new Reply(-1, e.toString());
    }
  }

  Reply get(String path) {
    return send("GET", path, null, null);
  }

  /** A write that must succeed, for setting up a scenario. */
  Reply require(String method, String path, String json, int... expected) {
    return requireKeyed(method, path, json, UUID.randomUUID().toString(), expected);
  }

  /** A write that must succeed, sent with this Idempotency-Key. */
  Reply requireKeyed(String method, String path, String json, String key, int... expected) {
    Reply reply = send(method, path, json, key);
    for (int status : expected) {
      if (reply.status() == status) {
        return reply;
      }
    }
    throw new IllegalStateException(
        method
            + " :"
            + port
            + path
            + " "
            + json
            + " answered "
            + reply.status()
            + " "
            + reply.body());
  }

  void ensureLocation(String code) {
    require(
        "PUT",
        "/locations/" + code,
        "{\"name\":\"Bench " + code + "\",\"type\":\"WAREHOUSE\"}",
        200,
        201);
  }

  void ensureItem(String sku) {
    require(
        "PUT",
        "/items/" + sku,
        "{\"name\":\"Bench " + sku + "\",\"unitCost\":1.5,\"lowStockThreshold\":0}",
        200,
        201);
  }

  /** Receives {@code quantity} units of each SKU into available, in one adjustment. */
  void receive(Iterable<String> skus, String location, long quantity) {
    StringBuilder lines = new StringBuilder();
    for (String sku : skus) {
      if (lines.length() > 0) {
        lines.append(',');
      }
      lines.append(adjustmentLine(sku, location, quantity));
    }
    require(
        "POST",
        "/inventory/adjustments",
        "{\"reason\":\"received\",\"reference\":\"bench-setup\",\"lines\":[" + lines + "]}",
        201);
  }

  static String adjustmentLine(String sku, String location, long delta) {
    return "{\"sku\":\""
        + sku
        + "\",\"location\":\""
        + location
        + "\",\"state\":\"available\",\"delta\":"
        + delta
        + "}";
  }
}
