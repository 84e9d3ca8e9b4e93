package dev.onhand.fulfillment.support;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A 3PL's order endpoint as fulfillment meets it: it takes signed JSON orders and, like a real one
 * under load, refuses the first attempt of each order with 503 so retries are exercised.
 */
public class ThirdPartyStub implements QuarkusTestResourceLifecycleManager {
  public static final String LOCATION = "TPL-ONHAND-TEST";
  public static final String SECRET = "test-3pl-secret";
  public static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
  private static final Map<String, AtomicInteger> ATTEMPTS =
      new java.util.concurrent.ConcurrentHashMap<>();
  private HttpServer server;

  public record Received(String idempotencyKey, String signature, String body, int answered) {}

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext(
        "/orders",
        exchange -> {
          String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int attempt = ATTEMPTS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
          int status = attempt == 1 ? 503 : 202;
          RECEIVED.add(
              new Received(
                  key, exchange.getRequestHeaders().getFirst("X-Onhand-Signature"), body, status));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    String prefix = "onhand.fulfillment.third-parties.\"" + LOCATION + "\".";
    return Map.of(
        prefix + "url",
        "http://127.0.0.1:" + server.getAddress().getPort() + "/orders",
        prefix + "secret",
        SECRET);
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
