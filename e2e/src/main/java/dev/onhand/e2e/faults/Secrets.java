package dev.onhand.e2e.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * S5: no secret in the packaged applications, in default values or in the logs, and the production
 * profile refuses to start with the development key. The secrets looked for are the ones this run
 * used: the development key, the fault programs' keys and channel secrets.
 */
final class Secrets implements Faults.Scenario {
  private static final String DEV_KEY = "onhand-dev-key";
  private final Suite suite;
  private final Path runDir;

  Secrets(Suite suite, Path runDir) {
    this.suite = suite;
    this.runDir = runDir;
  }

  @Override
  public Outcome run() throws Exception {
    Outcome outcome = new Outcome();
    List<String> secrets = new ArrayList<>(List.of(DEV_KEY, AccessRefused.READER_KEY));
    for (String name : List.of(WebhooksAbused.TOKEN_ENV, WebhooksAbused.HOOKS_ENV)) {
      String value = System.getenv(name);
      if (value != null && !value.isBlank()) {
        secrets.add(value);
      }
    }
    // the logs of this run
    try (Stream<Path> logs = Files.list(runDir)) {
      for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        for (String secret : secrets) {
          outcome.operations++;
          if (text.contains(secret)) {
            outcome.unexpected++;
            outcome.notes.add("a secret in " + log.getFileName());
          }
        }
      }
    }
    // the packaged applications (what an image holds) and the chart's default values
    List<Path> packaged = new ArrayList<>();
    try (Stream<Path> jars = Files.walk(Path.of("services"), 5)) {
      jars.filter(p -> p.toString().endsWith(".jar") && p.toString().contains("quarkus-app/app/"))
          .forEach(packaged::add);
    }
    try (Stream<Path> jars = Files.walk(Path.of("gateway/target/quarkus-app/app"), 1)) {
      jars.filter(p -> p.toString().endsWith(".jar")).forEach(packaged::add);
    }
    for (Path jar : packaged) {
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        var entries = zip.entries();
        while (entries.hasMoreElements()) {
          var entry = entries.nextElement();
          if (!entry.getName().endsWith(".properties") && !entry.getName().endsWith(".yaml")) {
            continue;
          }
          String text =
              new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
          for (String secret : secrets) {
            outcome.operations++;
            if (text.contains(secret)) {
              outcome.unexpected++;
              outcome.notes.add("a secret in " + jar.getFileName() + "!" + entry.getName());
            }
          }
          // the development key's hash only in the local and dev profiles
          for (String line : text.split("\n")) {
            if (line.contains(sha256(DEV_KEY))
                && !line.startsWith("%local.")
                && !line.startsWith("%dev.")
                && !line.contains("development-key-hash")
                && !line.trim().startsWith("#")) {
              outcome.unexpected++;
              outcome.notes.add("the development key outside local/dev: " + entry.getName());
            }
          }
        }
      }
    }
    for (String values :
        List.of("charts/onhand/values.yaml", "charts/onhand/values-production.yaml")) {
      String text = Files.readString(Path.of(values));
      outcome.operations++;
      if (text.contains(sha256(DEV_KEY)) || text.contains(DEV_KEY)) {
        outcome.unexpected++;
        outcome.notes.add("the development key in " + values);
      }
    }
    // the production profile with the development key configured must refuse to start
    Path log = runDir.resolve("gateway-prod-with-dev-key.log");
    Process refused = configure(log).start();
    boolean exited = refused.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      refused.destroyForcibly();
    }
    String output = Files.readString(log);
    outcome.operations++;
    outcome.check(
        exited && refused.exitValue() != 0 && output.contains("development API key"),
        "the production profile refuses the development key");
    return outcome;
  }

  private static ProcessBuilder configure(Path log) {
    ProcessBuilder builder =
        new ProcessBuilder("java", "-Xmx128m", "-jar", "gateway/target/quarkus-app/quarkus-run.jar")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("QUARKUS_PROFILE", "prod");
    env.put("ONHAND_HTTP_PORT", "0");
    env.put("ONHAND_GATEWAY_KEYS_DEV_HASH", sha256(DEV_KEY));
    env.put("ONHAND_GATEWAY_KEYS_DEV_SCOPES", "admin");
    return builder;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
