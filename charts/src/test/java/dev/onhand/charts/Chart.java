package dev.onhand.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart under test (charts/onhand), rendered and linted by Helm embedded in the JVM. */
final class Chart {

  static final String RELEASE = "onhand";
  static final String NAMESPACE = "inventory";

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path dir() {
    return Path.of(System.getProperty("onhand.chart.dir", "onhand")).toAbsolutePath().normalize();
  }

  static Path valuesFile(String name) {
    Path inChart = dir().resolve(name);
    if (Files.exists(inChart)) {
      return inChart;
    }
    Path inTests = Path.of("src/test/resources/values").resolve(name).toAbsolutePath();
    if (!Files.exists(inTests)) {
      throw new IllegalArgumentException("no values file " + name);
    }
    return inTests;
  }

  /** Values files (in the chart or src/test/resources/values) and --set pairs, in order. */
  record Values(String label, List<String> files, Map<String, String> sets) {
    static Values defaults() {
      return new Values("default values", List.of(), Map.of());
    }

    static Values file(String... files) {
      return new Values(String.join(" + ", files), List.of(files), Map.of());
    }

    Values set(String key, String value) {
      Map<String, String> more = new LinkedHashMap<>(sets);
      more.put(key, value);
      String name = label.equals("default values") ? "" : label + " + ";
      return new Values(name + key + "=" + value, files, more);
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** helm template; a failure (values schema, a fail in a template) throws with Helm's message. */
  static Rendered render(Values values) {
    TemplateCommand template =
        new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE);
    for (String file : values.files()) {
      template = template.withValuesFile(valuesFile(file));
    }
    for (Map.Entry<String, String> set : values.sets().entrySet()) {
      template = template.set(set.getKey(), set.getValue());
    }
    return new Rendered(parse(template.call()));
  }

  /**
   * The release notes (templates/NOTES.txt) Helm would print after an install with these values.
   * helm template does not render them and an install needs a cluster, so a copy of the chart
   * renders them into a ConfigMap through tpl.
   */
  static String notes(Values values) {
    try {
      Path copy = Files.createTempDirectory(scratch(), "notes-").resolve("onhand");
      copyTree(dir(), copy);
      Files.copy(copy.resolve("templates/NOTES.txt"), copy.resolve("notes-under-test.txt"));
      Files.writeString(
          copy.resolve("templates/zz-notes-under-test.yaml"),
          """
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: notes-under-test
          data:
            notes: {{ tpl (.Files.Get "notes-under-test.txt") . | toJson }}
          """);
      TemplateCommand template =
          new Helm(copy).template().withName(RELEASE).withNamespace(NAMESPACE);
      for (String file : values.files()) {
        template = template.withValuesFile(valuesFile(file));
      }
      for (Map.Entry<String, String> set : values.sets().entrySet()) {
        template = template.set(set.getKey(), set.getValue());
      }
      JsonObject configMap =
          new Rendered(parse(template.call()))
              .ofKind("ConfigMap").stream()
                  .filter(o -> o.toString().contains("notes-under-test"))
                  .findFirst()
                  .orElseThrow();
      return configMap.getAsJsonObject("data").get("notes").getAsString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * helm lint --strict with these values. The embedded Helm's lint takes no values file, so the
   * chart is copied and its values.yaml replaced by the defaults merged with the files, as Helm
   * itself merges them.
   */
  static LintResult lintStrict(String... valuesFiles) {
    try {
      Path copy = Files.createTempDirectory(scratch(), "lint-").resolve("onhand");
      copyTree(dir(), copy);
      JsonNode merged = YAML.readTree(dir().resolve("values.yaml").toFile());
      for (String file : valuesFiles) {
        merged = merge(merged, YAML.readTree(valuesFile(file).toFile()));
      }
      YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
      return new Helm(copy).lint().strict().call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies of the chart go under target/, which mvn clean removes. */
  private static Path scratch() throws IOException {
    return Files.createDirectories(Path.of("target", "chart-copies").toAbsolutePath());
  }

  private static JsonNode merge(JsonNode base, JsonNode overlay) {
    if (!(base instanceof ObjectNode target) || overlay == null || !overlay.isObject()) {
      return overlay == null ? base : overlay;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue().isNull()) {
        target.remove(field.getKey()); // Helm: null deletes a default
      } else if (target.has(field.getKey())) {
        target.set(field.getKey(), merge(target.get(field.getKey()), field.getValue()));
      } else {
        target.set(field.getKey(), field.getValue());
      }
    }
    return target;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** Every YAML document of a render as the JSON the Kubernetes API would receive. */
  static List<JsonObject> parse(String yaml) {
    List<JsonObject> objects = new ArrayList<>();
    try {
      for (Iterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml);
          docs.hasNext(); ) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
          continue;
        }
        objects.add(JsonParser.parseString(JSON.writeValueAsString(doc)).getAsJsonObject());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }

  private Chart() {}
}
