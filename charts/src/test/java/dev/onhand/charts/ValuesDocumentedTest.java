package dev.onhand.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's README lists every value of values.yaml. */
class ValuesDocumentedTest {

  @Test
  void everyValueIsInTheReadme() throws IOException {
    String readme = Files.readString(Chart.dir().resolve("README.md"));
    JsonNode values = new YAMLMapper().readTree(Chart.dir().resolve("values.yaml").toFile());
    List<List<String>> leaves = new ArrayList<>();
    collect(values, new ArrayList<>(), leaves);

    List<String> missing = new ArrayList<>();
    for (List<String> leaf : leaves) {
      if (!documented(readme, leaf)) {
        missing.add(String.join(".", leaf));
      }
    }
    assertThat(leaves).hasSizeGreaterThan(100);
    assertThat(missing).as("values not listed in charts/onhand/README.md").isEmpty();
  }

  /** The value, or an object holding it (at least two levels deep), appears as `path`. */
  private static boolean documented(String readme, List<String> leaf) {
    for (int length = leaf.size(); length >= Math.min(2, leaf.size()); length--) {
      List<String> prefix = new ArrayList<>(leaf.subList(0, length));
      if (readme.contains("`" + String.join(".", prefix) + "`")) {
        return true;
      }
      if (prefix.size() > 1 && prefix.get(0).equals("services")) {
        prefix.set(1, "<name>");
        if (readme.contains("`" + String.join(".", prefix) + "`")) {
          return true;
        }
      }
    }
    return false;
  }

  private static void collect(JsonNode node, List<String> path, List<List<String>> leaves) {
    if (node.isObject() && !node.isEmpty()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        List<String> next = new ArrayList<>(path);
        next.add(field.getKey());
        collect(field.getValue(), next, leaves);
      }
    } else {
      leaves.add(path);
    }
  }
}
