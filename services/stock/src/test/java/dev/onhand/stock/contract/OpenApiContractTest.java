package dev.onhand.stock.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the service serves is the committed contract in {@code
 * contracts/openapi/stock.yaml}, exactly: any API change shows up in review. {@code make contracts}
 * rewrites the file from the running service.
 */
@QuarkusTest
class OpenApiContractTest {
  private static final String CONTRACT = "contracts/openapi/stock.yaml";
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  @Test
  void theServedOpenApiIsTheCommittedContract() throws Exception {
    String served =
        given()
            .accept("application/json")
            .get("/q/openapi?format=json")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    JsonNode servedTree = new ObjectMapper().readTree(served);

    if (Boolean.getBoolean("onhand.contracts.update")) {
      Path file = Path.of("../../" + CONTRACT);
      Files.writeString(file, YAML.writerWithDefaultPrettyPrinter().writeValueAsString(servedTree));
      return;
    }
    JsonNode contract;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(CONTRACT)) {
      assertThat(in)
          .as(CONTRACT + " is on the classpath (run make contracts to create it)")
          .isNotNull();
      contract = YAML.readTree(in);
    }
    assertThat(servedTree)
        .as(
            "the served OpenAPI differs from %s; if the change is intended, run `make contracts`"
                + " and commit the file",
            CONTRACT)
        .isEqualTo(contract);
  }

  @Test
  void everyOperationAnswersProblemsAndWritesTakeAnIdempotencyKey() throws Exception {
    JsonNode doc =
        new ObjectMapper()
            .readTree(
                given()
                    .accept("application/json")
                    .get("/q/openapi?format=json")
                    .then()
                    .extract()
                    .asString());
    doc.path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        op -> {
                          JsonNode operation = op.getValue();
                          assertThat(
                                  operation
                                      .path("responses")
                                      .path("4XX")
                                      .path("content")
                                      .has("application/problem+json"))
                              .as("%s %s answers problem+json", op.getKey(), path.getKey())
                              .isTrue();
                          if (op.getKey().equals("post") || op.getKey().equals("put")) {
                            boolean idempotencyKey = false;
                            for (JsonNode parameter : operation.path("parameters")) {
                              idempotencyKey |=
                                  parameter.path("name").asText().equals("Idempotency-Key");
                            }
                            assertThat(idempotencyKey)
                                .as("%s %s takes Idempotency-Key", op.getKey(), path.getKey())
                                .isTrue();
                          }
                        }));
    assertThat(doc.path("paths").has("/api/v1/reservations")).isTrue();
  }
}
