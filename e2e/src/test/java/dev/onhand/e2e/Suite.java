package dev.onhand.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole suite as {@code make run} starts it ({@code scripts/run.sh}: the packaged services and
 * the gateway in front of them, with the development key), started once for every end-to-end test
 * class and stopped when they are done. It runs beside a {@code make run} suite without touching
 * it: its own ports (+20000), databases ({@code onhand_<service>_e2e}), RabbitMQ virtual host
 * ({@code onhand-e2e}) and run directory.
 */
public final class Suite implements BeforeAllCallback {
  public static final List<String> SERVICES =
      List.of("stock", "receiving", "fulfillment", "returns", "channel-sync");

  /**
   * Channel credentials the suite's channel-sync reads by reference (env:...), as in production.
   */
  public static final Map<String, String> CHANNEL_CREDENTIALS =
      Map.of(
          "ONHAND_CHANNEL_E2E_SHOPIFY_TOKEN", "stub-access-token",
          "ONHAND_CHANNEL_E2E_SHOPIFY_HOOKS", "e2e-shopify-webhook-secret",
          "ONHAND_CHANNEL_E2E_WEBHOOK_SECRET", "e2e-webhook-channel-secret");

  public static final int PORT_OFFSET = 20000;
  public static final String VHOST = "onhand-e2e";
  public static final String DEV_KEY = "onhand-dev-key";
  public static final String GATEWAY = "http://127.0.0.1:" + (8080 + PORT_OFFSET);

  static final Path ROOT = Path.of(System.getProperty("onhand.root", "..")).normalize();
  private static final Path RUN_DIR = ROOT.resolve("e2e/target/suite");

  /** A request through the gateway with the development key (scope admin). */
  public static RequestSpecification api() {
    return given()
        .baseUri(GATEWAY)
        .header("Authorization", "Bearer " + DEV_KEY)
        .contentType(ContentType.JSON)
        .accept(ContentType.JSON);
  }

  /** The name of a service's database in this suite. */
  public static String database(String service) {
    return "onhand_" + service.replace('-', '_') + "_e2e";
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Running.class, k -> start(), Running.class);
  }

  /** Stops the suite when the last test class is done. */
  static final class Running implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws Exception {
      run(List.of("scripts/run.sh", "--stop"), 60);
    }
  }

  private static Running start() {
    try {
      List<String> infra = new ArrayList<>(List.of("scripts/infra.sh"));
      SERVICES.forEach(s -> infra.add(database(s)));
      run(infra, 120);
      List<String> suite = new ArrayList<>(List.of("scripts/run.sh"));
      suite.addAll(SERVICES);
      run(suite, 240);
      return new Running();
    } catch (Exception e) {
      throw new IllegalStateException("the suite did not start", e);
    }
  }

  private static void run(List<String> command, int timeoutSeconds) throws Exception {
    Files.createDirectories(RUN_DIR);
    Path output = RUN_DIR.resolve(command.get(0).replace('/', '-') + ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    Map<String, String> env = builder.environment();
    env.put("ONHAND_RUN_DIR", RUN_DIR.toString());
    env.put("ONHAND_PORT_OFFSET", Integer.toString(PORT_OFFSET));
    env.put("ONHAND_DB_SUFFIX", "_e2e");
    env.put("ONHAND_RABBITMQ_VHOST", VHOST);
    env.putAll(CHANNEL_CREDENTIALS);
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not finish; see " + output);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          command + " failed (" + process.exitValue() + "):\n" + tail(output));
    }
  }

  private static String tail(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
