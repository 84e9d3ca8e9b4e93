package dev.onhand.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds the contract files to each other: every schema is a valid draft 2020-12 schema whose refs
 * resolve, every example fits the schema of its type, asyncapi.yaml names every schema and every
 * message type has an example, and broken examples are refused, so the check itself can fail.
 *
 * <p>Files are listed and read from the module's directory ({@code contracts.dir}, set by the pom);
 * schemas are loaded through the classpath under {@code contracts/schemas/}, the way services load
 * them from this artifact, with their {@code https://onhand.dev/schemas/} ids mapped there so refs
 * resolve offline.
 */
class ContractsTest {
  private static final String SCHEMA_BASE = "https://onhand.dev/schemas/";
  private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
  private static final String SCHEMA_SUFFIX = ".v1.json";
  private static final String PAYLOAD_PREFIX = "./schemas/";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path DIR = Path.of(System.getProperty("contracts.dir", "."));

  private static final JsonSchemaFactory FACTORY = MessageSchemas.FACTORY;
  private static final SchemaValidatorsConfig CONFIG = MessageSchemas.CONFIG;

  @Test
  void everySchemaIsValidDraft202012AndIdentifiedByItsFileName() {
    JsonSchema meta = FACTORY.getSchema(SchemaLocation.of(META_SCHEMA), CONFIG);
    assertThat(schemaFiles()).isNotEmpty();
    for (String file : schemaFiles()) {
      JsonNode schema = read(DIR.resolve("schemas").resolve(file));
      assertThat(schema.path("$schema").asText()).as(file).isEqualTo(META_SCHEMA);
      assertThat(schema.path("$id").asText()).as(file).isEqualTo(SCHEMA_BASE + file);
      assertThat(meta.validate(schema)).as(file + " against the 2020-12 meta-schema").isEmpty();
      // fails when a $ref does not resolve
      schemaOf(file).initializeValidators();
    }
  }

  static Stream<String> examples() {
    return list(DIR.resolve("examples"), ".json").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleFitsTheSchemaOfItsType(String file) {
    String type = typeOfExample(file);
    JsonNode example = read(DIR.resolve("examples").resolve(file));
    assertThat(example.path("type").asText()).as(file + " type").isEqualTo(type);
    assertThat(schemaFiles()).as("schema of " + type).contains(type + SCHEMA_SUFFIX);
    assertThat(messages(schemaOf(type + SCHEMA_SUFFIX).validate(example))).as(file).isEmpty();
  }

  @Test
  void asyncApiReferencesEverySchemaFileAndOnlyFilesThatExist() {
    Set<String> referenced = new TreeSet<>();
    collectRefs(asyncApi(), referenced);
    Set<String> files =
        schemaFiles().stream().map(f -> PAYLOAD_PREFIX + f).collect(Collectors.toSet());
    Set<String> toSchemas =
        referenced.stream().filter(r -> !r.startsWith("#")).collect(Collectors.toSet());
    assertThat(toSchemas).as("refs of asyncapi.yaml").containsExactlyInAnyOrderElementsOf(files);
  }

  @Test
  void everyMessageHasItsSchemaAndAnExample() {
    Map<String, String> payloads = new TreeMap<>();
    asyncApi()
        .path("components")
        .path("messages")
        .forEach(
            message ->
                payloads.put(
                    message.path("name").asText(), message.path("payload").path("$ref").asText()));
    assertThat(payloads).isNotEmpty();
    payloads.forEach(
        (type, ref) -> {
          assertThat(ref).as(type + " payload").isEqualTo(PAYLOAD_PREFIX + type + SCHEMA_SUFFIX);
          assertThat(DIR.resolve("examples").resolve(type + ".json"))
              .as(type + " example")
              .exists();
        });
    assertThat(examples().map(ContractsTest::typeOfExample))
        .as("the types of the examples, against the messages of asyncapi.yaml")
        .containsExactlyInAnyOrderElementsOf(payloads.keySet());
  }

  /**
   * Every service publishes to its own exchange ({@code onhand.<service>}) with the type as routing
   * key. Stock sends its own types and receives the others, each from a named quorum queue; another
   * service's type may also be documented by its producer's send operation (the only one while it
   * has no consumer yet), never sent by anyone else.
   */
  @Test
  void channelsFollowTheExchangeAndQueueConventions() {
    JsonNode doc = asyncApi();
    Map<String, Set<String>> actions = new TreeMap<>();
    doc.path("operations")
        .forEach(
            operation -> {
              String channel = operation.path("channel").path("$ref").asText();
              String address = resolve(doc, channel).path("address").asText();
              String action = operation.path("action").asText();
              String title = operation.path("title").asText();
              actions.computeIfAbsent(address, a -> new TreeSet<>()).add(action);
              if (action.equals("receive")) {
                // each consumer's queue is named after it: <service>.<purpose>
                String queue = operation.path("x-onhand-queue").path("name").asText();
                assertThat(queue).as(channel + " queue").matches("[a-z-]+\\.[a-z-]+");
                String consumer = producer(queue);
                assertThat(consumer).as(channel + " consumer").isNotEqualTo(producer(address));
                assertThat(title)
                    .as(channel + " title")
                    .isEqualTo(capitalized(consumer) + " consumes " + address);
              } else {
                assertThat(action).as(channel + " action").isEqualTo("send");
                assertThat(title)
                    .as(channel + " is sent by its producer")
                    .isEqualTo(capitalized(producer(address)) + " publishes " + address);
              }
            });
    doc.path("channels")
        .forEach(
            channel -> {
              String address = channel.path("address").asText();
              String producer = producer(address);
              JsonNode amqp = channel.path("bindings").path("amqp");
              assertThat(amqp.path("is").asText()).as(address).isEqualTo("routingKey");
              assertThat(amqp.path("exchange").path("name").asText())
                  .as(address + " exchange")
                  .isEqualTo("onhand." + producer);
              assertThat(amqp.path("exchange").path("type").asText()).isEqualTo("topic");
              assertThat(amqp.path("exchange").path("durable").asBoolean()).isTrue();
              if (producer.equals("stock")) {
                assertThat(actions.get(address)).as(address + " operations").contains("send");
              } else {
                assertThat(actions.get(address))
                    .as(address + " operations")
                    .isNotEmpty()
                    .isSubsetOf("send", "receive");
              }
            });
  }

  /**
   * A change that makes an example wrong, and the types whose examples it applies to (none named:
   * every example).
   */
  private record Breakage(String name, Set<String> types, Consumer<ObjectNode> change) {
    boolean appliesTo(String type) {
      return types.isEmpty() || types.contains(type);
    }
  }

  private static final Set<String> WITH_STOCK_LINES =
      Set.of(
          "fulfillment.reservation.requested",
          "fulfillment.reservation.release-requested",
          "fulfillment.shipment.recorded",
          "stock.reservation.confirmed",
          "stock.reservation.released",
          "stock.reservation.expired",
          "stock.shipment.applied");
  private static final Set<String> MOVEMENT_REQUESTS =
      Set.of(
          "receiving.movement.requested",
          "returns.movement.requested",
          "fulfillment.movement.requested");
  private static final Set<String> REFERENCE_DATA =
      Set.of("stock.location.changed", "stock.item.changed");
  private static final Set<String> ORDER_SHIPPED = Set.of("fulfillment.order.shipped");
  private static final Set<String> OPERATIONAL_EXCEPTIONS =
      Set.of("receiving.exception.raised", "fulfillment.exception.raised");

  private static final List<Breakage> BREAKAGES =
      List.of(
          new Breakage("without id", Set.of(), e -> e.remove("id")),
          new Breakage("with schemaversion 2", Set.of(), e -> e.put("schemaversion", 2)),
          new Breakage("with a time that is no date-time", Set.of(), e -> e.put("time", "today")),
          new Breakage("with empty data", Set.of(), e -> data(e).removeAll()),
          new Breakage("with an unknown data member", Set.of(), e -> data(e).put("unknown", 1)),
          new Breakage(
              "with a line of quantity -1",
              WITH_STOCK_LINES,
              e -> {
                // the release example releases everything, so it has no lines of its own
                if (!data(e).has("lines")) {
                  data(e).set("lines", JSON.createArrayNode().add(stockLine()));
                }
                firstLine(e).put("quantity", -1);
              }),
          new Breakage(
              "with a sku that is no identifier",
              Set.of(
                  "fulfillment.reservation.requested",
                  "fulfillment.shipment.recorded",
                  "fulfillment.movement.requested",
                  "fulfillment.order.shipped",
                  "receiving.movement.requested",
                  "returns.movement.requested",
                  "stock.reservation.confirmed",
                  "stock.reservation.rejected"),
              e -> firstLine(e).put("sku", "EX SKU 1")),
          new Breakage(
              "with a disposition that does not exist",
              Set.of("fulfillment.reservation.release-requested"),
              e -> data(e).put("disposition", "destroyed")),
          new Breakage(
              "with expiresInSeconds beyond 30 days",
              Set.of("fulfillment.reservation.requested"),
              e -> data(e).put("expiresInSeconds", 2592001)),
          new Breakage(
              "with 101 lines",
              Set.of("fulfillment.reservation.requested"),
              e -> {
                ArrayNode lines = (ArrayNode) data(e).get("lines");
                while (lines.size() < 101) {
                  lines.add(lines.get(0).deepCopy());
                }
              }),
          new Breakage(
              "moving committed units",
              MOVEMENT_REQUESTS,
              e -> firstLine(e).put("state", "committed")),
          new Breakage(
              "with a reason only reservations use",
              MOVEMENT_REQUESTS,
              e -> data(e).put("reason", "reservation_release")),
          new Breakage(
              "with a negative balance",
              Set.of("stock.inventory.changed"),
              e -> ((ObjectNode) data(e).get("quantities")).put("available", -1)),
          new Breakage(
              "without its sequence", Set.of("stock.inventory.changed"), e -> e.remove("sequence")),
          new Breakage(
              "with a zero delta",
              Set.of("stock.inventory.changed"),
              e -> ((ObjectNode) data(e).get("movements").get(0)).put("delta", 0)),
          new Breakage(
              "without its correlation id",
              Set.of("stock.reservation.rejected", "stock.request.rejected"),
              e -> e.remove("correlationid")),
          new Breakage(
              "with a code its details do not belong to",
              Set.of("stock.request.rejected"),
              e -> data(e).put("code", "NEGATIVE_BALANCE")),
          new Breakage(
              "expired while still active",
              Set.of("stock.reservation.expired"),
              e -> data(e).put("status", "ACTIVE")),
          new Breakage(
              "with a subject that is no identifier",
              REFERENCE_DATA,
              e -> e.put("subject", "EX WH 1")),
          new Breakage("without its subject", REFERENCE_DATA, e -> e.remove("subject")),
          new Breakage(
              "with a location type that does not exist",
              Set.of("stock.location.changed"),
              e -> data(e).put("type", "DEPOT")),
          new Breakage(
              "with a negative unit cost",
              Set.of("stock.item.changed"),
              e -> data(e).put("unitCost", -0.01)),
          new Breakage(
              "with a fractional low-stock threshold",
              Set.of("stock.item.changed"),
              e -> data(e).put("lowStockThreshold", 2.5)),
          new Breakage(
              "with a line of quantity 0", ORDER_SHIPPED, e -> firstLine(e).put("quantity", 0)),
          new Breakage(
              "mispicked as a SKU that is no identifier",
              ORDER_SHIPPED,
              e -> firstLine(e).put("mispickedAs", "EX SKU 3")),
          new Breakage(
              "with a line member of its own", ORDER_SHIPPED, e -> firstLine(e).put("unknown", 1)),
          new Breakage(
              "without its channelOrderId", ORDER_SHIPPED, e -> data(e).remove("channelOrderId")),
          new Breakage(
              "with a shipmentId that is no uuid",
              ORDER_SHIPPED,
              e -> data(e).put("shipmentId", "EX-SHIP-1")),
          new Breakage(
              "with a subject that is not its order",
              ORDER_SHIPPED,
              e -> e.put("subject", "EX-SHOP:1001")),
          new Breakage(
              "with a kind that is no operational exception",
              OPERATIONAL_EXCEPTIONS,
              e -> data(e).put("kind", "OVERSOLD")),
          new Breakage(
              "without its exceptionId",
              OPERATIONAL_EXCEPTIONS,
              e -> data(e).remove("exceptionId")),
          new Breakage(
              "with a negative actual quantity",
              OPERATIONAL_EXCEPTIONS,
              e -> data(e).put("actual", -1)),
          new Breakage(
              "with 21 other references",
              OPERATIONAL_EXCEPTIONS,
              e -> {
                ArrayNode references = data(e).putArray("references");
                for (int i = 0; i < 21; i++) {
                  references.add("receipt:R-" + i);
                }
              }));

  static Stream<Arguments> brokenExamples() {
    List<Arguments> cases = new ArrayList<>();
    examples()
        .forEach(
            file -> {
              String type = typeOfExample(file);
              for (Breakage breakage : BREAKAGES) {
                if (breakage.appliesTo(type)) {
                  cases.add(Arguments.of(type, breakage.name()));
                }
              }
            });
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("brokenExamples")
  void aBrokenExampleIsRefused(String type, String breakageName) {
    Breakage breakage =
        BREAKAGES.stream().filter(b -> b.name().equals(breakageName)).findFirst().orElseThrow();
    ObjectNode example = (ObjectNode) read(DIR.resolve("examples").resolve(type + ".json"));
    breakage.change().accept(example);
    assertThat(schemaOf(type + SCHEMA_SUFFIX).validate(example))
        .as(type + " " + breakageName + " must not fit its schema")
        .isNotEmpty();
  }

  /** Each breakage names only types that exist, so a renamed type cannot silently skip it. */
  @Test
  void everyBreakageAppliesToAnExample() {
    Set<String> types = examples().map(ContractsTest::typeOfExample).collect(Collectors.toSet());
    for (Breakage breakage : BREAKAGES) {
      assertThat(types).as(breakage.name()).containsAll(breakage.types());
    }
  }

  // --- helpers ---

  private static JsonSchema schemaOf(String file) {
    return MessageSchemas.schema(file);
  }

  private static List<String> schemaFiles() {
    return list(DIR.resolve("schemas"), ".json");
  }

  private static String typeOfExample(String file) {
    return file.substring(0, file.length() - ".json".length());
  }

  private static String producer(String address) {
    return address.substring(0, address.indexOf('.'));
  }

  private static String capitalized(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }

  private static ObjectNode data(ObjectNode envelope) {
    return (ObjectNode) envelope.get("data");
  }

  private static ObjectNode firstLine(ObjectNode envelope) {
    return (ObjectNode) data(envelope).get("lines").get(0);
  }

  private static ObjectNode stockLine() {
    return JSON.createObjectNode()
        .put("sku", "EX-SKU-1")
        .put("location", "EX-WH-1")
        .put("quantity", 1);
  }

  private static JsonNode asyncApi() {
    try {
      return YAML.readTree(DIR.resolve("asyncapi.yaml").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every {@code $ref} value anywhere in {@code node}. */
  private static void collectRefs(JsonNode node, Set<String> refs) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
          refs.add(field.getValue().asText());
        } else {
          collectRefs(field.getValue(), refs);
        }
      }
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, refs));
    }
  }

  /** Follows a local reference such as {@code #/channels/x}. */
  private static JsonNode resolve(JsonNode doc, String ref) {
    assertThat(ref).startsWith("#/");
    JsonNode target = doc.at(ref.substring(1));
    assertThat(target.isMissingNode()).as(ref + " resolves").isFalse();
    return target;
  }

  private static List<String> messages(Set<ValidationMessage> messages) {
    return messages.stream().map(ValidationMessage::toString).sorted().toList();
  }

  private static List<String> list(Path dir, String suffix) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(suffix))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
