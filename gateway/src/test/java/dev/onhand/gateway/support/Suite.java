package dev.onhand.gateway.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the gateway's tests route to: the real stock service (its packaged jar, on the tests'
 * database and RabbitMQ virtual host), a recording stand-in for services that are not built yet,
 * and an address where nothing listens.
 */
public class Suite implements QuarkusTestResourceLifecycleManager {
  private Process stock;

  @Override
  public Map<String, String> start() {
    try {
      int recording = RecordingUpstream.start();
      int stockPort = freePort();
      int nothing = freePort();
      String jar = System.getProperty("onhand.stock.app");
      if (jar == null || !new File(jar).exists()) {
        throw new IllegalStateException("the stock service is not built: " + jar);
      }
      ProcessBuilder builder =
          new ProcessBuilder("java", "-Xmx192m", "-XX:+UseSerialGC", "-jar", jar)
              .redirectErrorStream(true)
              .redirectOutput(Path.of("target", "stock-under-gateway.log").toFile());
      builder.environment().put("ONHAND_HTTP_PORT", Integer.toString(stockPort));
      builder.environment().put("ONHAND_DB_NAME", "onhand_stock_test");
      builder.environment().put("ONHAND_RABBITMQ_VHOST", "onhand-test");
      builder.environment().put("ONHAND_JSON_LOGS", "false");
      stock = builder.start();
      awaitReady(stockPort);
      String recordingUrl = "http://127.0.0.1:" + recording;
      return Map.of(
          "onhand.gateway.upstreams.stock.url", "http://127.0.0.1:" + stockPort,
          "onhand.gateway.upstreams.receiving.url", recordingUrl,
          "onhand.gateway.upstreams.fulfillment.url", recordingUrl,
          "onhand.gateway.upstreams.channel-sync.url", recordingUrl,
          "onhand.gateway.upstreams.returns.url", "http://127.0.0.1:" + nothing);
    } catch (Exception e) {
      stop();
      throw new IllegalStateException("cannot start the gateway's upstreams", e);
    }
  }

  @Override
  public void stop() {
    if (stock != null) {
      stock.destroy();
    }
  }

  private void awaitReady(int port) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!stock.isAlive()) {
        throw new IllegalStateException("stock exited; see target/stock-under-gateway.log");
      }
      try {
        HttpURLConnection connection =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/q/health/ready").toURL().openConnection();
        if (connection.getResponseCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("stock did not become ready");
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
