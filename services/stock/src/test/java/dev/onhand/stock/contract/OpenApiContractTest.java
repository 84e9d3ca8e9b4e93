package dev.onhand.stock.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onhand.platform.testing.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the service serves is the committed contract in {@code
 * contracts/openapi/stock.yaml}, exactly: any API change shows up in review. {@code make contracts}
 * rewrites the file from the running service.
 */
@QuarkusTest
class OpenApiContractTest {

  @Test
  void theServedOpenApiIsTheCommittedContract() throws Exception {
    OpenApiContract.assertServedIsCommitted("stock");
  }

  @Test
  void everyOperationAnswersProblemsAndWritesTakeAnIdempotencyKey() throws Exception {
    JsonNode doc = OpenApiContract.served();
    OpenApiContract.assertProblemsAndIdempotencyKeys(doc);
    assertThat(doc.path("paths").has("/api/v1/reservations")).isTrue();
  }
}
