package dev.onhand.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message contracts as code for tests: the JSON Schema of each message type, resolved from this
 * jar (offline), and its example. Producers' tests validate what they publish; consumers' tests
 * feed themselves the examples.
 */
public final class MessageSchemas {
  public static final String SCHEMA_BASE = "https://onhand.dev/schemas/";
  public static final String SCHEMA_SUFFIX = ".v1.json";

  /** Schemas refer to each other by their https $id; those resolve to this jar's copies. */
  public static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          builder ->
              builder.schemaMappers(
                  mappers -> mappers.mapPrefix(SCHEMA_BASE, "classpath:contracts/schemas/")));

  /** In 2020-12 {@code format} is only an annotation by default; a contract means it. */
  public static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

  private MessageSchemas() {}

  /** The schema of a schema file, e.g. {@code stock.inventory.changed.v1.json}. */
  public static JsonSchema schema(String file) {
    return SCHEMAS.computeIfAbsent(
        file, f -> FACTORY.getSchema(SchemaLocation.of(SCHEMA_BASE + f), CONFIG));
  }

  /** Everything wrong with a message envelope against the schema of its type; empty if valid. */
  public static List<String> violations(JsonNode envelope) {
    String type = envelope.path("type").asText();
    if (type.isEmpty()) {
      return List.of("the envelope has no type");
    }
    if (MessageSchemas.class.getClassLoader().getResource(path(type)) == null) {
      return List.of("no schema for type " + type);
    }
    return schema(type + SCHEMA_SUFFIX).validate(envelope).stream()
        .map(ValidationMessage::getMessage)
        .sorted()
        .toList();
  }

  /** A fresh copy of the contract's example of a message type. */
  public static ObjectNode example(String type) {
    try (InputStream in =
        MessageSchemas.class
            .getClassLoader()
            .getResourceAsStream("contracts/examples/" + type + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no example for type " + type);
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String path(String type) {
    return "contracts/schemas/" + type + SCHEMA_SUFFIX;
  }
}
