package dev.onhand.gateway.support;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in upstream that records every request it receives (so a test can prove a refused request
 * never arrived) and can echo a body, send a large one, or hang.
 */
public final class RecordingUpstream {
  public record Received(String method, String path, MultiMap headers, long bodyBytes) {}

  public static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
  private static Vertx vertx;
  private static HttpServer server;

  private RecordingUpstream() {}

  public static synchronized int start() throws Exception {
    if (server != null) {
      return server.actualPort();
    }
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  String path = request.path();
                  if (path.endsWith("/hang")) {
                    return; // never answers
                  }
                  if (path.endsWith("/large")) {
                    int size = Integer.parseInt(request.getParam("bytes"));
                    byte[] bytes = new byte[size];
                    for (int i = 0; i < size; i++) {
                      bytes[i] = (byte) (i * 31 + 7);
                    }
                    record(request.method().name(), path, request.headers(), 0);
                    request
                        .response()
                        .putHeader("Content-Type", "application/octet-stream")
                        .end(Buffer.buffer(bytes));
                    return;
                  }
                  request
                      .body()
                      .onSuccess(
                          body -> {
                            record(request.method().name(), path, request.headers(), body.length());
                            request
                                .response()
                                .putHeader("Content-Type", "application/octet-stream")
                                .putHeader("X-Upstream", "recording")
                                .end(body);
                          });
                })
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return server.actualPort();
  }

  private static void record(String method, String path, MultiMap headers, long bytes) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    RECEIVED.add(new Received(method, path, copy, bytes));
  }

  public static long count(String pathPrefix) {
    return RECEIVED.stream().filter(r -> r.path().startsWith(pathPrefix)).count();
  }
}
