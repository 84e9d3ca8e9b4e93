package dev.onhand.platform.testing;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Another Onhand service, started from its packaged jar on a free port with a bounded heap, on the
 * tests' RabbitMQ virtual host, for tests that need the real thing on the other end (the gateway in
 * front of stock, receiving beside it).
 */
public final class ServiceProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private ServiceProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the jar named by the system property {@code onhand.<name>.app} (set by the module's
   * surefire configuration) and waits until it is ready.
   */
  public static ServiceProcess start(String name, Map<String, String> environment) {
    return start(name, name + "-under-test", environment);
  }

  /** The same, logging to {@code target/<logName>.log} (for a second instance of a service). */
  public static ServiceProcess start(String name, String logName, Map<String, String> environment) {
    String jar = System.getProperty("onhand." + name + ".app");
    if (jar == null || !new File(jar).exists()) {
      throw new IllegalStateException("the " + name + " service is not built: " + jar);
    }
    Path log = Path.of("target", logName + ".log");
    try {
      int port = freePort();
      ProcessBuilder builder =
          new ProcessBuilder("java", "-Xmx192m", "-XX:+UseSerialGC", "-jar", jar)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("ONHAND_HTTP_PORT", Integer.toString(port));
      builder.environment().put("ONHAND_RABBITMQ_VHOST", "onhand-test");
      builder.environment().put("ONHAND_JSON_LOGS", "false");
      builder.environment().putAll(environment);
      ServiceProcess service = new ServiceProcess(builder.start(), port, log);
      service.awaitReady();
      return service;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name, e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + 60_000_000_000L;
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the service exited; see " + log.toAbsolutePath());
        }
        try {
          HttpURLConnection connection =
              (HttpURLConnection) URI.create(url() + "/q/health/ready").toURL().openConnection();
          if (connection.getResponseCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // still starting
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
    throw new IllegalStateException("the service did not become ready; see " + log);
  }

  @Override
  public void close() {
    stop();
  }

  /** Sends SIGTERM, waits for the process to end and returns its exit code. */
  public int stop() {
    process.destroy();
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** What the service wrote to its console so far. */
  public String log() {
    try {
      return java.nio.file.Files.readString(log);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
