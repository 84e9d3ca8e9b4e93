package dev.onhand.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.platform.testing.Broker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the suite's services publish while a scenario runs, held against the AsyncAPI
 * contract: every message fits its schema, every message type the running producers declare is seen
 * (or is listed with the reason the scenario cannot cause it), and every consumer queue of a
 * running service has a consumer, ends empty and dead-lettered nothing.
 */
final class Wire implements AutoCloseable {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Broker broker = new Broker(Suite.VHOST);
  private final List<Broker.Tap> taps = new ArrayList<>();
  private final JsonNode contract;
  private final Set<String> running;
  private final Map<String, Long> deadLetteredBefore = new HashMap<>();

  Wire(Path asyncApi, List<String> services) throws Exception {
    contract = YAML.readTree(asyncApi.toFile());
    running = Set.copyOf(services);
    for (String service : services) {
      taps.add(broker.tap("onhand." + service, "#"));
    }
    for (String queue : consumerQueues()) {
      deadLetteredBefore.put(queue, queue(queue + ".dlq").getMessageCount() * 1L);
    }
  }

  /** The message types of the running producers, from the contract's channels. */
  Set<String> declaredTypes() {
    Set<String> types = new TreeSet<>();
    contract
        .path("channels")
        .forEach(
            channel -> {
              String type = channel.path("address").asText();
              if (running.contains(type.substring(0, type.indexOf('.')))) {
                types.add(type);
              }
            });
    return types;
  }

  /** The queues the running services consume from, from the contract's receive operations. */
  Set<String> consumerQueues() {
    Set<String> queues = new TreeSet<>();
    contract
        .path("operations")
        .forEach(
            operation -> {
              String queue = operation.path("x-onhand-queue").path("name").asText("");
              if ("receive".equals(operation.path("action").asText())
                  && running.contains(queue.substring(0, Math.max(0, queue.indexOf('.'))))) {
                queues.add(queue);
              }
            });
    return queues;
  }

  /**
   * Checks what went over the wire: returns the number of messages seen per type. {@code notCaused}
   * names the declared types the scenario cannot cause, each with its reason.
   */
  Map<String, Integer> assertHeldToContract(Map<String, String> notCaused) throws Exception {
    Map<String, Integer> seen = new TreeMap<>();
    for (Broker.Tap tap : taps) {
      for (Broker.Received message : tap.drain(Duration.ofSeconds(2))) {
        assertThat(MessageSchemas.violations(message.envelope()))
            .as("%s fits its schema: %s", message.type(), message.raw())
            .isEmpty();
        seen.merge(message.type(), 1, Integer::sum);
      }
    }
    Set<String> expected = new TreeSet<>(declaredTypes());
    expected.removeAll(notCaused.keySet());
    assertThat(seen.keySet()).as("message types seen").containsAll(expected);
    assertThat(seen.keySet())
        .as("types the contract does not declare")
        .allMatch(declaredTypes()::contains);
    for (String queue : consumerQueues()) {
      AMQP.Queue.DeclareOk state = queue(queue);
      assertThat(state.getConsumerCount()).as(queue + " consumers").isPositive();
      assertThat(state.getMessageCount()).as(queue + " messages left").isZero();
      assertThat(queue(queue + ".dlq").getMessageCount() * 1L)
          .as(queue + " dead-lettered during the scenario")
          .isEqualTo(deadLetteredBefore.get(queue));
    }
    return seen;
  }

  /** A queue's counts, read without changing it (a passive declare on a channel of its own). */
  private static AMQP.Queue.DeclareOk queue(String name) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(System.getenv().getOrDefault("ONHAND_RABBITMQ_HOST", "127.0.0.1"));
    factory.setPort(Integer.parseInt(System.getenv().getOrDefault("ONHAND_RABBITMQ_PORT", "5672")));
    factory.setUsername(System.getenv().getOrDefault("ONHAND_RABBITMQ_USER", "guest"));
    factory.setPassword(System.getenv().getOrDefault("ONHAND_RABBITMQ_PASSWORD", "guest"));
    factory.setVirtualHost(Suite.VHOST);
    try (Connection connection = factory.newConnection("onhand-e2e-wire");
        Channel channel = connection.createChannel()) {
      return channel.queueDeclarePassive(name);
    }
  }

  @Override
  public void close() throws Exception {
    for (Broker.Tap tap : taps) {
      tap.close();
    }
    broker.close();
  }
}
