package dev.onhand.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes docs/messages.md, the message catalogue, from {@code asyncapi.yaml} and the JSON Schemas:
 * per message type its producer, exchange, routing key, consumers with their queues and dead-letter
 * queues, and the fields of its data with types and descriptions. Nothing in the catalogue is
 * written by hand, so it says exactly what the contract says ({@link MessageCatalogueTest} fails
 * when the committed file differs).
 *
 * <p>Schemas are flattened into one row per field ({@code lines[].sku}): {@code $ref} and {@code
 * allOf} are merged, {@code oneOf} branches add the fields only they carry, and the scalar building
 * blocks of {@code common.v1.json} are named rather than repeated.
 */
final class MessageCatalogue {
  static final String DOCS_PATH = "docs/messages.md";
  private static final String COMMON = "common.v1.json";
  private static final String ENVELOPE = "envelope.v1.json";
  private static final String SCHEMAS_LINK = "../contracts/schemas/";
  private static final String EXAMPLES_LINK = "../contracts/examples/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Path dir;
  private final JsonNode asyncApi;
  private final Map<String, JsonNode> schemas = new TreeMap<>();

  private MessageCatalogue(Path contractsDir) {
    this.dir = contractsDir;
    this.asyncApi = read(YAML, contractsDir.resolve("asyncapi.yaml"));
  }

  /** The catalogue the contract in {@code contractsDir} describes. */
  static String generate(Path contractsDir) {
    return new MessageCatalogue(contractsDir).render();
  }

  /** The message types of the contract in {@code contractsDir}, by producer and type. */
  static List<MessageType> messageTypesOf(Path contractsDir) {
    return new MessageCatalogue(contractsDir).messageTypes();
  }

  /** Every queue of the contract, with the routing keys bound to it per exchange. */
  static Map<String, Map<String, Set<String>>> bindingsOf(Path contractsDir) {
    MessageCatalogue catalogue = new MessageCatalogue(contractsDir);
    return catalogue.bindings(catalogue.messageTypes());
  }

  // --- the contract as the catalogue needs it ---

  /** A queue a consumer reads, from a receive operation's {@code x-onhand-queue}. */
  record Queue(
      String name, String consumer, String deadLetterQueue, String deliveryLimit, String type) {}

  /** A receive operation: who consumes a type, from which queue, and what it does with it. */
  record Consumption(Queue queue, String description) {}

  /** One message type with everything the catalogue says about it. */
  record MessageType(
      String type,
      String title,
      String summary,
      String exchange,
      String producer,
      String publishedWhen,
      boolean reply,
      String schemaFile,
      List<Consumption> consumers) {}

  List<MessageType> messageTypes() {
    Map<String, JsonNode> channelsByMessage = new LinkedHashMap<>();
    Map<String, String> channelKeyByAddress = new LinkedHashMap<>();
    asyncApi
        .path("channels")
        .properties()
        .forEach(
            channel -> {
              String address = channel.getValue().path("address").asText();
              channelsByMessage.put(address, channel.getValue());
              channelKeyByAddress.put(address, channel.getKey());
            });
    Map<String, String> sendDescriptions = new LinkedHashMap<>();
    Map<String, List<Consumption>> consumers = new LinkedHashMap<>();
    asyncApi
        .path("operations")
        .forEach(
            operation -> {
              String address = addressOf(operation);
              if (operation.path("action").asText().equals("send")) {
                sendDescriptions.put(address, operation.path("description").asText(""));
              } else {
                JsonNode queue = operation.path("x-onhand-queue");
                String name = queue.path("name").asText();
                consumers
                    .computeIfAbsent(address, a -> new ArrayList<>())
                    .add(
                        new Consumption(
                            new Queue(
                                name,
                                name.substring(0, name.indexOf('.')),
                                queue.path("deadLetterQueue").asText(),
                                queue.path("deliveryLimit").asText(),
                                queue.path("type").asText()),
                            operation.path("description").asText("")));
              }
            });
    List<MessageType> types = new ArrayList<>();
    asyncApi
        .path("components")
        .path("messages")
        .forEach(
            message -> {
              String type = message.path("name").asText();
              JsonNode channel =
                  channelsByMessage.getOrDefault(type, JsonNodeFactory.instance.objectNode());
              String ref = message.path("payload").path("$ref").asText();
              types.add(
                  new MessageType(
                      type,
                      message.path("title").asText(),
                      message.path("summary").asText(),
                      channel.path("bindings").path("amqp").path("exchange").path("name").asText(),
                      type.substring(0, type.indexOf('.')),
                      sendDescriptions.get(type),
                      message.has("correlationId"),
                      ref.substring(ref.lastIndexOf('/') + 1),
                      consumers.getOrDefault(type, List.of())));
            });
    types.sort(
        (a, b) ->
            a.producer().equals(b.producer())
                ? a.type().compareTo(b.type())
                : a.producer().compareTo(b.producer()));
    return types;
  }

  /** Every queue of the contract, by name, with the routing keys bound to it per exchange. */
  Map<String, Map<String, Set<String>>> bindings(List<MessageType> types) {
    Map<String, Map<String, Set<String>>> bindings = new TreeMap<>();
    for (MessageType type : types) {
      for (Consumption consumption : type.consumers()) {
        bindings
            .computeIfAbsent(consumption.queue().name(), q -> new TreeMap<>())
            .computeIfAbsent(type.exchange(), e -> new LinkedHashSet<>())
            .add(type.type());
      }
    }
    return bindings;
  }

  private String addressOf(JsonNode operation) {
    String ref = operation.path("channel").path("$ref").asText();
    return asyncApi.at(ref.substring(1)).path("address").asText();
  }

  // --- rendering ---

  private String render() {
    List<MessageType> types = messageTypes();
    StringBuilder md = new StringBuilder();
    md.append("# Message catalogue\n\n");
    md.append(
        "<!-- Generated from contracts/asyncapi.yaml and contracts/schemas/*.json by"
            + " contracts/src/test/java/dev/onhand/contracts/MessageCatalogue.java. Do not edit:"
            + " run `make contracts` (or `./mvnw -pl contracts test -Dtest=MessageCatalogueTest"
            + " -Donhand.contracts.update=true`). MessageCatalogueTest fails while this file"
            + " differs from what the contract generates. -->\n\n");
    md.append(
        "Every message Onhand's services exchange over RabbitMQ, as the contract"
            + " ([asyncapi.yaml](../contracts/asyncapi.yaml) and the JSON Schemas under"
            + " [contracts/schemas](../contracts/schemas/)) describes it. Each service publishes"
            + " to its own durable topic exchange `onhand.<service>` through its transactional"
            + " outbox, with the message type as the routing key; each consumer reads its own"
            + " durable quorum queue `<consumer>.<purpose>`, whose dead-letter queue"
            + " `<queue>.dlq` is bound to the direct exchange `onhand.dlx` with the queue's name"
            + " as routing key. Delivery is at least once; consumers apply a message once by its"
            + " envelope `id` (see [architecture](architecture.md#messages-at-least-once-applied-once)"
            + " and the [runbook](runbook.md#dead-letter-replay)).\n\n");
    renderIndex(md, types);
    renderQueues(md, types);
    renderEnvelope(md);
    renderCommonTypes(md);
    String producer = null;
    for (MessageType type : types) {
      if (!type.producer().equals(producer)) {
        producer = type.producer();
        md.append("## Published by ").append(producer).append("\n\n");
      }
      renderMessage(md, type);
    }
    return md.toString();
  }

  private static void renderIndex(StringBuilder md, List<MessageType> types) {
    md.append("## Message types\n\n");
    md.append("| type | producer → exchange | consumers (queue) | what it says |\n");
    md.append("|---|---|---|---|\n");
    for (MessageType type : types) {
      List<String> consumers = new ArrayList<>();
      type.consumers()
          .forEach(c -> consumers.add(c.queue().consumer() + " (`" + c.queue().name() + "`)"));
      md.append("| [")
          .append(type.type())
          .append("](#")
          .append(slug(type.type()))
          .append(") | ")
          .append(type.producer())
          .append(" → `")
          .append(type.exchange())
          .append("` | ")
          .append(consumers.isEmpty() ? "none yet" : String.join(", ", consumers))
          .append(" | ")
          .append(cell(type.summary()))
          .append(" |\n");
    }
    md.append('\n');
  }

  private void renderQueues(StringBuilder md, List<MessageType> types) {
    md.append("## Queues\n\n");
    md.append(
        "Each queue is declared by its consumer at start (durable, quorum, `x-delivery-limit`"
            + " as listed, dead-lettering to `onhand.dlx`); the consumer's inbox retries a failing"
            + " message a bounded number of times before it rejects it to the dead-letter queue.\n\n");
    md.append(
        "| queue | consumer | bound to (exchange: routing keys) | dead-letter queue |"
            + " delivery limit |\n");
    md.append("|---|---|---|---|---|\n");
    Map<String, Queue> queues = new TreeMap<>();
    types.forEach(t -> t.consumers().forEach(c -> queues.putIfAbsent(c.queue().name(), c.queue())));
    bindings(types)
        .forEach(
            (name, byExchange) -> {
              Queue queue = queues.get(name);
              List<String> bound = new ArrayList<>();
              byExchange.forEach(
                  (exchange, keys) -> {
                    List<String> quoted = new ArrayList<>();
                    keys.forEach(k -> quoted.add("`" + k + "`"));
                    bound.add("`" + exchange + "`: " + String.join(", ", quoted));
                  });
              md.append("| `")
                  .append(name)
                  .append("` | ")
                  .append(queue.consumer())
                  .append(" | ")
                  .append(String.join("; ", bound))
                  .append(" | `")
                  .append(queue.deadLetterQueue())
                  .append("` | ")
                  .append(queue.deliveryLimit())
                  .append(" |\n");
            });
    md.append('\n');
  }

  private void renderEnvelope(StringBuilder md) {
    JsonNode envelope = schema(ENVELOPE);
    md.append("## The envelope\n\n");
    md.append(envelope.path("description").asText()).append(' ');
    md.append("Schema: [").append(ENVELOPE).append("](").append(SCHEMAS_LINK + ENVELOPE);
    md.append("). Trace context travels in the AMQP headers `traceparent` and `tracestate`.\n\n");
    List<Row> rows = new ArrayList<>();
    fields(new Resolved(envelope, ENVELOPE), "", rows, null);
    renderRows(md, rows);
  }

  private void renderCommonTypes(StringBuilder md) {
    JsonNode common = schema(COMMON);
    md.append("## Common types\n\n");
    md.append("The scalar building blocks of [")
        .append(COMMON)
        .append("](")
        .append(SCHEMAS_LINK + COMMON)
        .append("), named in the field tables below.\n\n");
    md.append("| name | type | meaning |\n|---|---|---|\n");
    common
        .path("$defs")
        .properties()
        .forEach(
            def -> {
              if (isScalarCommon(def.getKey())) {
                JsonNode node = def.getValue();
                md.append("| `")
                    .append(def.getKey())
                    .append("` | ")
                    .append(cell(describeType(new Resolved(node, COMMON), false)))
                    .append(" | ")
                    .append(cell(node.path("description").asText()))
                    .append(" |\n");
              }
            });
    md.append('\n');
  }

  private void renderMessage(StringBuilder md, MessageType type) {
    JsonNode schema = schema(type.schemaFile());
    md.append("### ").append(type.type()).append("\n\n");
    md.append("**").append(type.title()).append(".** ").append(type.summary()).append("\n\n");
    md.append("| | |\n|---|---|\n");
    md.append("| producer | ").append(type.producer()).append(" |\n");
    md.append("| exchange | `").append(type.exchange()).append("` (topic, durable) |\n");
    md.append("| routing key | `").append(type.type()).append("` |\n");
    if (type.reply()) {
      md.append(
          "| correlation | `correlationid`: a reply carries its request's correlationid, or the"
              + " request's id |\n");
    }
    md.append("| schema | [")
        .append(type.schemaFile())
        .append("](")
        .append(SCHEMAS_LINK)
        .append(type.schemaFile())
        .append(") |\n");
    md.append("| example | [")
        .append(type.type())
        .append(".json](")
        .append(EXAMPLES_LINK)
        .append(type.type())
        .append(".json) |\n\n");
    String description = schema.path("description").asText();
    if (!description.isEmpty()) {
      md.append(description).append("\n\n");
    }
    if (type.publishedWhen() != null && !type.publishedWhen().isBlank()) {
      md.append("Published: ").append(oneLine(type.publishedWhen())).append("\n\n");
    }
    if (type.consumers().isEmpty()) {
      md.append("Consumers: none in the contract yet.\n\n");
    } else {
      md.append("| consumer | queue | dead-letter queue | what it does |\n|---|---|---|---|\n");
      for (Consumption consumption : type.consumers()) {
        md.append("| ")
            .append(consumption.queue().consumer())
            .append(" | `")
            .append(consumption.queue().name())
            .append("` | `")
            .append(consumption.queue().deadLetterQueue())
            .append("` | ")
            .append(cell(consumption.description()))
            .append(" |\n");
      }
      md.append('\n');
    }
    // the envelope attributes this type narrows or requires (subject, sequence, ...), then its data
    ObjectShape shape = shape(new Resolved(schema, type.schemaFile()));
    ObjectShape envelope = shape(new Resolved(schema(ENVELOPE), ENVELOPE));
    List<Row> envelopeRows = new ArrayList<>();
    shape.properties.forEach(
        (name, property) -> {
          boolean narrowed = property.merged() || !envelope.properties.containsKey(name);
          boolean required = shape.required.contains(name);
          if (name.equals("type") || name.equals("data")) {
            return;
          }
          if (narrowed || (required && !envelope.required.contains(name))) {
            envelopeRows.add(row(name, property, required, null));
          }
        });
    if (!envelopeRows.isEmpty()) {
      md.append("Envelope attributes of this type:\n\n");
      renderRows(md, envelopeRows);
    }
    Resolved data = shape.properties.get("data");
    md.append("Data (`data`):\n\n");
    List<Row> rows = new ArrayList<>();
    fields(data, "", rows, null);
    renderRows(md, rows);
  }

  private static void renderRows(StringBuilder md, List<Row> rows) {
    if (rows.isEmpty()) {
      md.append("(no fields)\n\n");
      return;
    }
    md.append("| field | type | required | description |\n|---|---|---|---|\n");
    for (Row row : rows) {
      md.append("| `")
          .append(row.path())
          .append("` | ")
          .append(cell(row.type()))
          .append(" | ")
          .append(row.required() ? "yes" : "")
          .append(" | ")
          .append(cell(row.description()))
          .append(" |\n");
    }
    md.append('\n');
  }

  // --- schemas flattened into rows ---

  /**
   * A schema node and the file its relative references resolve against; or, when {@code parts} is
   * not empty, several schemas that all apply to one value (a property an envelope defines and a
   * message type narrows), each with its own file.
   */
  record Resolved(JsonNode node, String file, List<Resolved> parts) {
    Resolved(JsonNode node, String file) {
      this(node, file, List.of());
    }

    boolean merged() {
      return !parts.isEmpty();
    }
  }

  record Row(String path, String type, boolean required, String description) {}

  /** The properties and required names of an object schema, merged across $ref and allOf. */
  private static final class ObjectShape {
    final Map<String, Resolved> properties = new LinkedHashMap<>();
    final Set<String> required = new LinkedHashSet<>();

    /** oneOf branches: their title, and what they hold. */
    final List<Map.Entry<String, ObjectShape>> variants = new ArrayList<>();
  }

  private ObjectShape shape(Resolved schema) {
    ObjectShape shape = new ObjectShape();
    collect(schema, shape);
    return shape;
  }

  private void collect(Resolved schema, ObjectShape shape) {
    if (schema.merged()) {
      schema.parts().forEach(part -> collect(part, shape));
      return;
    }
    JsonNode node = schema.node();
    if (!node.isObject()) {
      return;
    }
    if (node.has("$ref")) {
      collect(resolve(schema), shape);
    }
    for (JsonNode part : node.path("allOf")) {
      collect(new Resolved(part, schema.file()), shape);
    }
    node.path("required").forEach(r -> shape.required.add(r.asText()));
    node.path("properties")
        .properties()
        .forEach(
            p -> {
              Resolved property = new Resolved(p.getValue(), schema.file());
              Resolved known = shape.properties.get(p.getKey());
              if (known == null || isTrue(known)) {
                shape.properties.put(p.getKey(), property);
              } else if (!isTrue(property)) {
                List<Resolved> parts =
                    new ArrayList<>(known.merged() ? known.parts() : List.of(known));
                parts.add(property);
                shape.properties.put(p.getKey(), new Resolved(null, null, parts));
              }
            });
    for (String combinator : List.of("oneOf", "anyOf")) {
      for (JsonNode branch : node.path(combinator)) {
        ObjectShape variant = new ObjectShape();
        collect(new Resolved(branch, schema.file()), variant);
        shape.variants.add(Map.entry(branch.path("title").asText(""), variant));
      }
    }
  }

  /** The schema {@code true}: "as defined elsewhere", nothing of its own. */
  private static boolean isTrue(Resolved schema) {
    return !schema.merged() && schema.node().isBoolean();
  }

  private void fields(Resolved schema, String prefix, List<Row> rows, String when) {
    ObjectShape shape = shape(schema);
    shape.properties.forEach(
        (name, property) -> {
          if (isTrue(property)) {
            return;
          }
          String path = prefix + name;
          rows.add(row(path, property, shape.required.contains(name), when));
          descend(property, path, rows, when);
        });
    for (Map.Entry<String, ObjectShape> variant : shape.variants) {
      String title = variant.getKey().isEmpty() ? "one variant" : variant.getKey();
      variant
          .getValue()
          .properties
          .forEach(
              (name, property) -> {
                if (shape.properties.containsKey(name) || isTrue(property)) {
                  return;
                }
                String path = prefix + name;
                rows.add(
                    row(
                        path,
                        property,
                        variant.getValue().required.contains(name),
                        when == null ? title : when + "; " + title));
                descend(property, path, rows, when == null ? title : when + "; " + title);
              });
    }
  }

  private void descend(Resolved property, String path, List<Row> rows, String when) {
    if (isCommonScalar(property)) {
      return;
    }
    ObjectShape shape = shape(property);
    if (!shape.properties.isEmpty() || !shape.variants.isEmpty()) {
      fields(property, path + ".", rows, when);
      return;
    }
    Resolved items = items(property);
    if (items != null && !isCommonScalar(items)) {
      ObjectShape itemShape = shape(items);
      if (!itemShape.properties.isEmpty()) {
        fields(items, path + "[].", rows, when);
      }
    }
  }

  private Row row(String path, Resolved property, boolean required, String when) {
    String description = description(property);
    if (when != null) {
      description = "*Only in: " + when + ".* " + description;
    }
    return new Row(path, describeType(property, true), required, description.trim());
  }

  /** The first description along the schema's own keywords, its allOf parts, then its $ref. */
  private String description(Resolved schema) {
    if (schema.merged()) {
      // the most specific part (the message type's, over the envelope's) says it best
      for (int i = schema.parts().size() - 1; i >= 0; i--) {
        String inner = description(schema.parts().get(i));
        if (!inner.isEmpty()) {
          return inner;
        }
      }
      return "";
    }
    JsonNode node = schema.node();
    if (!node.isObject()) {
      return "";
    }
    if (node.has("description")) {
      return node.path("description").asText();
    }
    for (JsonNode part : node.path("allOf")) {
      String inner = description(new Resolved(part, schema.file()));
      if (!inner.isEmpty()) {
        return inner;
      }
    }
    if (node.has("$ref") && !isCommonScalar(schema)) {
      return description(resolve(schema));
    }
    return "";
  }

  /**
   * What a field holds, in a few words: a constant, an enumeration, a named common type, or a JSON
   * type with its format and bounds.
   */
  private String describeType(Resolved schema, boolean nameCommon) {
    if (schema.merged()) {
      String constant = constant(schema);
      if (constant != null) {
        return "`" + constant + "`";
      }
      // the most specific part (the message type's, over the envelope's) says it best
      for (int i = schema.parts().size() - 1; i >= 0; i--) {
        String inner = describeType(schema.parts().get(i), nameCommon);
        if (!inner.isEmpty()) {
          return inner;
        }
      }
      return "";
    }
    JsonNode node = schema.node();
    if (!node.isObject()) {
      return node.isBoolean() && node.asBoolean() ? "any" : "";
    }
    String constant = constant(schema);
    if (constant != null) {
      return "`" + constant + "`";
    }
    List<String> parts = new ArrayList<>();
    if (node.has("$ref")) {
      if (nameCommon && isCommonScalar(schema)) {
        parts.add("[" + commonName(schema) + "](#common-types)");
      } else {
        parts.add(describeType(resolve(schema), nameCommon));
      }
    }
    for (JsonNode part : node.path("allOf")) {
      String inner = describeType(new Resolved(part, schema.file()), nameCommon);
      if (!inner.isEmpty()) {
        parts.add(inner);
      }
    }
    for (String combinator : List.of("oneOf", "anyOf")) {
      // a value of one of several kinds (e.g. a code or null); object variants are listed as fields
      List<String> kinds = new ArrayList<>();
      for (JsonNode branch : node.path(combinator)) {
        if (!branch.has("properties") && !branch.has("required")) {
          kinds.add(describeType(new Resolved(branch, schema.file()), nameCommon));
        }
      }
      kinds.remove("");
      if (!kinds.isEmpty()) {
        parts.add(String.join(" or ", kinds));
      }
    }
    if (node.has("enum")) {
      List<String> values = new ArrayList<>();
      node.path("enum").forEach(v -> values.add("`" + v.asText() + "`"));
      parts.add("one of " + String.join(", ", values));
    }
    String jsonType = jsonType(node);
    if (!jsonType.isEmpty()) {
      if (jsonType.equals("array")) {
        Resolved items = items(schema);
        String itemType = items == null ? "" : describeType(items, nameCommon);
        jsonType = itemType.isEmpty() ? "array" : "array of " + itemType;
      }
      parts.add(jsonType + bounds(node));
    } else if (!bounds(node).isEmpty()) {
      parts.add(bounds(node).substring(2));
    }
    if (node.has("not")) {
      JsonNode not = node.path("not");
      if (not.has("const")) {
        parts.add("not `" + not.path("const").asText() + "`");
      } else if (not.has("enum")) {
        List<String> values = new ArrayList<>();
        not.path("enum").forEach(v -> values.add("`" + v.asText() + "`"));
        parts.add("not " + String.join(", ", values));
      }
    }
    return String.join(", ", new LinkedHashSet<>(parts));
  }

  /** The constant a schema pins its value to, looking through allOf and local refs. */
  private String constant(Resolved schema) {
    if (schema.merged()) {
      for (Resolved part : schema.parts()) {
        String inner = constant(part);
        if (inner != null) {
          return inner;
        }
      }
      return null;
    }
    JsonNode node = schema.node();
    if (!node.isObject()) {
      return null;
    }
    if (node.has("const")) {
      JsonNode value = node.path("const");
      return value.isTextual() ? value.asText() : value.toString();
    }
    for (JsonNode part : node.path("allOf")) {
      String inner = constant(new Resolved(part, schema.file()));
      if (inner != null) {
        return inner;
      }
    }
    return null;
  }

  private static String jsonType(JsonNode node) {
    JsonNode type = node.path("type");
    if (type.isTextual()) {
      return type.asText() + format(node);
    }
    if (type.isArray()) {
      List<String> types = new ArrayList<>();
      type.forEach(t -> types.add(t.asText()));
      return String.join(" or ", types) + format(node);
    }
    return "";
  }

  private static String format(JsonNode node) {
    return node.has("format") ? " (" + node.path("format").asText() + ")" : "";
  }

  private static String bounds(JsonNode node) {
    List<String> bounds = new ArrayList<>();
    range(node, "minimum", "maximum", "", bounds);
    if (node.has("exclusiveMinimum")) {
      bounds.add("> " + node.path("exclusiveMinimum").asText());
    }
    range(node, "minLength", "maxLength", " chars", bounds);
    range(node, "minItems", "maxItems", " items", bounds);
    if (node.path("uniqueItems").asBoolean(false)) {
      bounds.add("unique");
    }
    if (node.has("pattern")) {
      bounds.add("pattern `" + node.path("pattern").asText() + "`");
    }
    return bounds.isEmpty() ? "" : ", " + String.join(", ", bounds);
  }

  private static void range(
      JsonNode node, String min, String max, String unit, List<String> bounds) {
    if (node.has(min) && node.has(max)) {
      bounds.add(node.path(min).asText() + "–" + node.path(max).asText() + unit);
    } else if (node.has(min)) {
      bounds.add("≥ " + node.path(min).asText() + unit);
    } else if (node.has(max)) {
      bounds.add("≤ " + node.path(max).asText() + unit);
    }
  }

  private Resolved items(Resolved schema) {
    if (schema.merged()) {
      for (Resolved part : schema.parts()) {
        Resolved inner = items(part);
        if (inner != null) {
          return inner;
        }
      }
      return null;
    }
    JsonNode node = schema.node();
    if (node.has("items")) {
      return new Resolved(node.path("items"), schema.file());
    }
    if (node.has("$ref") && !isCommonScalar(schema)) {
      return items(resolve(schema));
    }
    for (JsonNode part : node.path("allOf")) {
      Resolved inner = items(new Resolved(part, schema.file()));
      if (inner != null) {
        return inner;
      }
    }
    return null;
  }

  /** Whether the schema is (only) a reference to one of common.v1.json's scalar definitions. */
  private boolean isCommonScalar(Resolved schema) {
    if (schema.merged()) {
      return false;
    }
    String ref = schema.node().path("$ref").asText("");
    if (ref.isEmpty()) {
      return false;
    }
    String target = targetFile(schema.file(), ref);
    return target.equals(COMMON) && isScalarCommon(commonName(schema));
  }

  private String commonName(Resolved schema) {
    String ref = schema.node().path("$ref").asText();
    return ref.substring(ref.lastIndexOf('/') + 1);
  }

  private boolean isScalarCommon(String name) {
    JsonNode def = schema(COMMON).path("$defs").path(name);
    return !def.isMissingNode()
        && !def.has("properties")
        && !def.path("type").asText().equals("object");
  }

  private Resolved resolve(Resolved schema) {
    String ref = schema.node().path("$ref").asText();
    String file = targetFile(schema.file(), ref);
    int hash = ref.indexOf('#');
    String pointer = hash < 0 ? "" : ref.substring(hash + 1);
    JsonNode target = pointer.isEmpty() ? schema(file) : schema(file).at(pointer);
    if (target.isMissingNode()) {
      throw new IllegalStateException(schema.file() + ": " + ref + " does not resolve");
    }
    return new Resolved(target, file);
  }

  private static String targetFile(String file, String ref) {
    int hash = ref.indexOf('#');
    String before = hash < 0 ? ref : ref.substring(0, hash);
    return before.isEmpty() ? file : before.substring(before.lastIndexOf('/') + 1);
  }

  private JsonNode schema(String file) {
    return schemas.computeIfAbsent(file, f -> read(JSON, dir.resolve("schemas").resolve(f)));
  }

  // --- text ---

  /** GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped. */
  static String slug(String heading) {
    StringBuilder slug = new StringBuilder();
    for (char c : heading.toLowerCase(Locale.ROOT).toCharArray()) {
      if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
        slug.append(c);
      } else if (c == ' ') {
        slug.append('-');
      }
    }
    return slug.toString();
  }

  private static String oneLine(String text) {
    return text.trim().replaceAll("\\s*\\n\\s*", " ");
  }

  private static String cell(String text) {
    return oneLine(text == null ? "" : text).replace("|", "\\|");
  }

  private static JsonNode read(ObjectMapper mapper, Path file) {
    try {
      return mapper.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
