package dev.onhand.platform.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The OpenAPI document a service serves is its committed contract in {@code
 * contracts/openapi/<service>.yaml}, exactly: any API change shows up in review. With {@code
 * -Donhand.contracts.update=true} ({@code make contracts}) the file is rewritten from the running
 * service instead.
 */
public final class OpenApiContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private OpenApiContract() {}

  /** The document the application under test serves. */
  public static JsonNode served() throws IOException {
    return JSON.readTree(
        given()
            .accept("application/json")
            .get("/q/openapi?format=json")
            .then()
            .statusCode(200)
            .extract()
            .asString());
  }

  /** Asserts the served document equals {@code contracts/openapi/<service>.yaml}. */
  public static void assertServedIsCommitted(String service) throws IOException {
    String contract = "contracts/openapi/" + service + ".yaml";
    JsonNode served = served();
    if (Boolean.getBoolean("onhand.contracts.update")) {
      Files.writeString(
          Path.of("../../" + contract),
          YAML.writerWithDefaultPrettyPrinter().writeValueAsString(served));
      return;
    }
    JsonNode committed;
    try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(contract)) {
      assertThat(in)
          .as(contract + " is on the classpath (run make contracts to create it)")
          .isNotNull();
      committed = YAML.readTree(in);
    }
    assertThat(served)
        .as(
            "the served OpenAPI differs from %s; if the change is intended, run `make contracts`"
                + " and commit the file",
            contract)
        .isEqualTo(committed);
  }

  /** Every operation documents problem+json answers, and every POST and PUT an Idempotency-Key. */
  public static void assertProblemsAndIdempotencyKeys(JsonNode doc) {
    assertThat(doc.path("paths").size()).as("the document has operations").isPositive();
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
  }
}
