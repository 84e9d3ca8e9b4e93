package dev.onhand.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged gateway in the production profile: it refuses to start with the development key. */
class ProductionProfileIT {
  private static final String DEV_KEY_HASH =
      "14f1e2aaded86ca66b8a3e5d4321b4cc1ee430e0d7d0d6e5c862d23d16731ed6";
  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  @Test
  void productionRefusesToStartWhileTheDevelopmentKeyIsConfigured() throws Exception {
    Path log = Files.createTempFile("gateway-prod", ".log");
    Process gateway = start(DEV_KEY_HASH, log);
    assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("the gateway stops by itself").isTrue();
    assertThat(gateway.exitValue()).isNotZero();
    assertThat(Files.readString(log)).contains("development API key is configured");
  }

  @Test
  void productionStartsWithARealKey() throws Exception {
    Path log = Files.createTempFile("gateway-prod", ".log");
    int port = freePort();
    Process gateway = start("ab".repeat(32), log, port);
    try {
      assertThat(awaitLive(gateway, port)).as("live; log: %s", log).isTrue();
    } finally {
      gateway.destroy();
      gateway.waitFor(20, TimeUnit.SECONDS);
    }
  }

  private static Process start(String keyHash, Path log) throws Exception {
    return start(keyHash, log, freePort());
  }

  private static Process start(String keyHash, Path log, int port) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                "java",
                "-Xmx128m",
                "-Donhand.gateway.keys.ops.hash=" + keyHash,
                "-Donhand.gateway.keys.ops.scopes=admin",
                "-Dquarkus.http.port=" + port,
                "-jar",
                JAR.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("ONHAND_JSON_LOGS", "false");
    return builder.start();
  }

  private static boolean awaitLive(Process gateway, int port) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && gateway.isAlive()) {
      try {
        HttpURLConnection connection =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/q/health/live").toURL().openConnection();
        if (connection.getResponseCode() == 200) {
          return true;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
