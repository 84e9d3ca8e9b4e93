package dev.onhand.platform.openapi;

import dev.onhand.platform.idempotency.IdempotencyKeys;
import dev.onhand.platform.problem.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * What every service's API shares, added to each operation of its OpenAPI document in one place:
 * problem+json for every 4xx and 5xx, and the {@code Idempotency-Key} header on writes.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class CommonOperationsFilter implements OASFilter {

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    if (openAPI.getComponents() == null) {
      openAPI.setComponents(OASFactory.createComponents());
    }
    openAPI.getComponents().addSchema("Problem", problemSchema());
    if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
      return;
    }
    for (PathItem item : openAPI.getPaths().getPathItems().values()) {
      for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.getOperations().entrySet()) {
        Operation operation = entry.getValue();
        addProblem(operation, "4XX", "Refused: see the problem's code (and errors for validation)");
        addProblem(operation, "5XX", "The service could not answer; retry with the same key");
        PathItem.HttpMethod method = entry.getKey();
        if (method == PathItem.HttpMethod.POST
            || method == PathItem.HttpMethod.PUT
            || method == PathItem.HttpMethod.PATCH
            || method == PathItem.HttpMethod.DELETE) {
          operation.addParameter(
              OASFactory.createParameter()
                  .name(IdempotencyKeys.HEADER)
                  .in(Parameter.In.HEADER)
                  .required(false)
                  .description(
                      "Makes the write safe to retry: the same key and body return the first"
                          + " response; the same key with another body is refused with 422.")
                  .schema(
                      OASFactory.createSchema()
                          .type(java.util.List.of(Schema.SchemaType.STRING))
                          .maxLength(255)));
        }
      }
    }
  }

  private static void addProblem(Operation operation, String status, String description) {
    if (operation.getResponses() == null) {
      operation.setResponses(OASFactory.createAPIResponses());
    }
    if (operation.getResponses().hasAPIResponse(status)) {
      return;
    }
    operation
        .getResponses()
        .addAPIResponse(
            status,
            OASFactory.createAPIResponse()
                .description(description)
                .content(
                    OASFactory.createContent()
                        .addMediaType(
                            Problem.MEDIA_TYPE,
                            OASFactory.createMediaType()
                                .schema(
                                    OASFactory.createSchema()
                                        .ref("#/components/schemas/Problem")))));
  }

  private static Schema problemSchema() {
    Schema string = OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING));
    Schema fieldError =
        OASFactory.createSchema()
            .type(java.util.List.of(Schema.SchemaType.OBJECT))
            .addProperty("field", string)
            .addProperty("code", string)
            .addProperty("message", string);
    return OASFactory.createSchema()
        .type(java.util.List.of(Schema.SchemaType.OBJECT))
        .description("RFC 9457 problem details with a stable machine code")
        .addProperty("type", string)
        .addProperty("title", string)
        .addProperty(
            "status", OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.INTEGER)))
        .addProperty("code", string)
        .addProperty("detail", string)
        .addProperty("instance", string)
        .addProperty(
            "errors",
            OASFactory.createSchema()
                .type(java.util.List.of(Schema.SchemaType.ARRAY))
                .items(fieldError))
        .addRequired("type")
        .addRequired("title")
        .addRequired("status")
        .addRequired("code")
        .additionalPropertiesBoolean(true);
  }
}
