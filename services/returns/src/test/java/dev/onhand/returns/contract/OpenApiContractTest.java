package dev.onhand.returns.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onhand.platform.testing.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The served OpenAPI is {@code contracts/openapi/returns.yaml}, and keeps the API's rules. */
@QuarkusTest
class OpenApiContractTest {

  @Test
  void theServedOpenApiIsTheCommittedContract() throws Exception {
    OpenApiContract.assertServedIsCommitted("returns");
  }

  @Test
  void everyOperationAnswersProblemsAndWritesTakeAnIdempotencyKey() throws Exception {
    JsonNode doc = OpenApiContract.served();
    OpenApiContract.assertProblemsAndIdempotencyKeys(doc);
    assertThat(doc.path("paths").has("/api/v1/returns/{id}/inspections")).isTrue();
  }
}
