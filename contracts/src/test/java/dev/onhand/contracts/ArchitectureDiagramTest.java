package dev.onhand.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The diagram in docs/architecture.md is drawn by hand, so it is held to the contract here: it
 * names every exchange and every queue asyncapi.yaml declares, and the dead-letter exchange. A new
 * queue in the contract fails this test until someone draws it.
 */
class ArchitectureDiagramTest {
  private static final Path DIR = Path.of(System.getProperty("contracts.dir", "."));
  private static final Path ARCHITECTURE = DIR.resolve("../docs/architecture.md");

  @Test
  void theDiagramNamesEveryExchangeAndQueueOfTheContract() throws IOException {
    String architecture = Files.readString(ARCHITECTURE);
    int start = architecture.indexOf("```mermaid");
    assertThat(start).as("docs/architecture.md has a mermaid diagram").isNotNegative();
    String diagram = architecture.substring(start, architecture.indexOf("```", start + 3));
    Set<String> names = new TreeSet<>();
    names.add("onhand.dlx");
    MessageCatalogue.messageTypesOf(DIR).forEach(type -> names.add(type.exchange()));
    names.addAll(MessageCatalogue.bindingsOf(DIR).keySet());
    assertThat(names).as("exchanges and queues of the contract").hasSizeGreaterThan(5);
    for (String name : names) {
      assertThat(diagram)
          .as("the diagram in docs/architecture.md names %s (draw it)", name)
          .containsPattern("[\\[{\\s|]" + Pattern.quote(name) + "[\\]}\\s|]");
    }
  }
}
