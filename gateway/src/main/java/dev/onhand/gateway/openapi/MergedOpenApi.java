package dev.onhand.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One OpenAPI document for integrators at {@code /api/openapi}: the services' contracts from {@code
 * contracts/openapi/} merged (paths, schemas, tags), with the gateway's API-key security. The UI at
 * {@code /api/docs} reads it.
 */
@ApplicationScoped
public class MergedOpenApi {
  /** The services whose contracts exist; a new service adds its file here. */
  static final List<String> CONTRACTS =
      List.of("stock", "receiving", "fulfillment", "returns", "channel-sync");

  private final Buffer json;

  public MergedOpenApi(ObjectMapper mapper) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode merged = mapper.createObjectNode();
    merged.put("openapi", "3.1.0");
    ObjectNode info = merged.putObject("info");
    info.put("title", "Onhand API");
    info.put("version", "1.0.0");
    info.put(
        "description",
        "Inventory that stays equal to physical reality. Authenticate with an API key"
            + " (Authorization: Bearer <key> or X-Api-Key); writes take an Idempotency-Key; every"
            + " error is RFC 9457 problem+json with a stable code.");
    merged.putArray("servers").addObject().put("url", "/");
    ObjectNode paths = merged.putObject("paths");
    ObjectNode components = merged.putObject("components");
    ObjectNode schemas = components.putObject("schemas");
    ObjectNode securitySchemes = components.putObject("securitySchemes");
    securitySchemes.putObject("bearer").put("type", "http").put("scheme", "bearer");
    securitySchemes
        .putObject("apiKey")
        .put("type", "apiKey")
        .put("in", "header")
        .put("name", "X-Api-Key");
    merged
        .putArray("security")
        .add(mapper.createObjectNode().set("bearer", mapper.createArrayNode()))
        .add(mapper.createObjectNode().set("apiKey", mapper.createArrayNode()));
    var tags = merged.putArray("tags");
    for (String service : CONTRACTS) {
      JsonNode contract = read(yaml, "contracts/openapi/" + service + ".yaml");
      copy(contract.path("paths"), paths, service);
      copy(contract.path("components").path("schemas"), schemas, service);
      contract.path("tags").forEach(tags::add);
    }
    try {
      this.json = Buffer.buffer(mapper.writeValueAsBytes(merged));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void install(@Observes Router router) {
    router
        .get("/api/openapi")
        .handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(json));
  }

  private static void copy(JsonNode from, ObjectNode into, String service) {
    for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode existing = into.get(field.getKey());
      if (existing != null && !existing.equals(field.getValue())) {
        throw new IllegalStateException(
            "OpenAPI contracts disagree on " + field.getKey() + " (while merging " + service + ")");
      }
      into.set(field.getKey(), field.getValue());
    }
  }

  private static JsonNode read(ObjectMapper yaml, String resource) {
    try (InputStream in = MergedOpenApi.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing contract " + resource);
      }
      return yaml.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
