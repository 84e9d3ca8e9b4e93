package dev.onhand.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/messages.md is exactly what {@link MessageCatalogue} generates from the contract, so the
 * catalogue cannot drift from asyncapi.yaml and the schemas. With {@code
 * -Donhand.contracts.update=true} ({@code make contracts}) the file is rewritten instead.
 */
class MessageCatalogueTest {
  private static final Path DIR = Path.of(System.getProperty("contracts.dir", "."));
  private static final Path CATALOGUE = DIR.resolve("..").resolve(MessageCatalogue.DOCS_PATH);

  @Test
  void theCommittedCatalogueIsTheOneTheContractGenerates() throws IOException {
    String generated = MessageCatalogue.generate(DIR);
    if (Boolean.getBoolean("onhand.contracts.update")) {
      Files.writeString(CATALOGUE, generated);
      return;
    }
    assertThat(CATALOGUE)
        .as("%s exists (run `make contracts` to create it)", MessageCatalogue.DOCS_PATH)
        .exists();
    assertThat(Files.readString(CATALOGUE))
        .as(
            "%s differs from what contracts/asyncapi.yaml and the schemas generate; run `make"
                + " contracts` and commit the file",
            MessageCatalogue.DOCS_PATH)
        .isEqualTo(generated);
  }

  @Test
  void theCatalogueListsEveryMessageTypeWithItsProducerExchangeAndQueues() {
    String generated = MessageCatalogue.generate(DIR);
    List<MessageCatalogue.MessageType> types = MessageCatalogue.messageTypesOf(DIR);
    assertThat(types).isNotEmpty();
    for (MessageCatalogue.MessageType type : types) {
      assertThat(generated)
          .as(type.type())
          .contains("### " + type.type() + "\n")
          .contains("| exchange | `" + type.exchange() + "`")
          .contains("| schema | [" + type.type() + ".v1.json]");
      assertThat(type.exchange()).as(type.type()).isEqualTo("onhand." + type.producer());
      type.consumers()
          .forEach(
              c ->
                  assertThat(generated)
                      .as(type.type() + " consumed from " + c.queue().name())
                      .contains("| `" + c.queue().name() + "` | `" + c.queue().deadLetterQueue()));
    }
    // a field of a nested array, a named common type and a oneOf-only field are all rendered
    assertThat(generated)
        .contains("| `movements[].balanceAfter` | [balance](#common-types) | yes |")
        .contains("| `lines[].sku` | [identifier](#common-types) | yes |")
        .contains("*Only in: The reservation is closed.*");
  }
}
