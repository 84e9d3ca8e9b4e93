package dev.onhand.channelsync.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onhand.platform.testing.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/** The served OpenAPI is {@code contracts/openapi/channel-sync.yaml}, and keeps the API's rules. */
@QuarkusTest
class OpenApiContractTest {

  @Test
  void theServedOpenApiIsTheCommittedContract() throws Exception {
    OpenApiContract.assertServedIsCommitted("channel-sync");
  }

  @Test
  void everyOperationAnswersProblemsAndWritesTakeAnIdempotencyKey() throws Exception {
    JsonNode doc = OpenApiContract.served();
    OpenApiContract.assertProblemsAndIdempotencyKeys(doc);
    assertThat(doc.path("paths").has("/api/v1/channels/{code}/dead-letters/replay")).isTrue();
    assertThat(doc.path("paths").has("/api/v1/channels/{code}/listings/{sku}")).isTrue();
    assertThat(doc.path("paths").has("/api/v1/channels/{code}/status")).isTrue();
  }

  /** The gateway merges every service's schemas into one document: ours say they are channels'. */
  @Test
  void schemaNamesAreChannelSyncsOwn() throws Exception {
    JsonNode schemas = OpenApiContract.served().path("components").path("schemas");
    for (Iterator<String> names = schemas.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      assertThat(name)
          .as("schema %s", name)
          .matches("(Page)?Channel[A-Za-z]*|Problem|FieldError|OffsetDateTime");
    }
  }
}
