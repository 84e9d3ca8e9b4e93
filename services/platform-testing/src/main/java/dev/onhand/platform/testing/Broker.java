package dev.onhand.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.ConfigProvider;

/** The real RabbitMQ, seen from outside the service: taps on exchanges and publishing to them. */
public final class Broker implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Connection connection;
  private final Channel channel;

  public Broker() {
    this(ConfigProvider.getConfig().getValue("rabbitmq-virtual-host", String.class));
  }

  /** A broker connection to {@code virtualHost}, for tests outside a Quarkus application. */
  public Broker(String virtualHost) {
    try {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setHost(System.getenv().getOrDefault("ONHAND_RABBITMQ_HOST", "127.0.0.1"));
      factory.setPort(
          Integer.parseInt(System.getenv().getOrDefault("ONHAND_RABBITMQ_PORT", "5672")));
      factory.setUsername(System.getenv().getOrDefault("ONHAND_RABBITMQ_USER", "guest"));
      factory.setPassword(System.getenv().getOrDefault("ONHAND_RABBITMQ_PASSWORD", "guest"));
      // the same virtual host as the service under test
      factory.setVirtualHost(virtualHost);
      connection = factory.newConnection("onhand-tests");
      channel = connection.createChannel();
    } catch (Exception e) {
      throw new IllegalStateException("RabbitMQ is not reachable", e);
    }
  }

  /** A message as received: its AMQP properties and the parsed envelope. */
  public record Received(AMQP.BasicProperties properties, JsonNode envelope, String raw) {
    public String type() {
      return envelope.path("type").asText();
    }

    public JsonNode data() {
      return envelope.path("data");
    }
  }

  /**
   * Collects every message routed from {@code exchange} with a matching key into a private queue.
   */
  public final class Tap implements AutoCloseable {
    private final String queue;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Received> seen = new ArrayList<>();

    Tap(String exchange, String bindingKey) throws Exception {
      channel.exchangeDeclarePassive(exchange);
      queue = channel.queueDeclare().getQueue();
      channel.queueBind(queue, exchange, bindingKey);
      channel.basicConsume(
          queue,
          true,
          (tag, delivery) -> {
            String raw = new String(delivery.getBody(), StandardCharsets.UTF_8);
            received.add(new Received(delivery.getProperties(), MAPPER.readTree(raw), raw));
          },
          tag -> {});
    }

    /** Waits for the first not-yet-taken message matching {@code filter}. */
    public Received await(Predicate<Received> filter, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      for (Received r : seen) {
        if (filter.test(r)) {
          seen.remove(r);
          return r;
        }
      }
      while (System.nanoTime() < deadline) {
        Received r = received.poll(50, TimeUnit.MILLISECONDS);
        if (r == null) {
          continue;
        }
        if (filter.test(r)) {
          return r;
        }
        seen.add(r);
      }
      throw new AssertionError("no matching message within " + timeout);
    }

    /** Everything received so far or within {@code quiet} of silence. */
    public List<Received> drain(Duration quiet) throws InterruptedException {
      List<Received> all = new ArrayList<>(seen);
      seen.clear();
      Received r;
      while ((r = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
        all.add(r);
      }
      return all;
    }

    @Override
    public void close() throws Exception {
      channel.queueDelete(queue);
    }
  }

  public Tap tap(String exchange, String bindingKey) throws Exception {
    return new Tap(exchange, bindingKey);
  }

  /** Publishes a raw body as a persistent message with the given AMQP properties. */
  public void publish(String exchange, String routingKey, String body, Map<String, Object> headers)
      throws Exception {
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .contentType("application/cloudevents+json")
            .deliveryMode(2)
            .headers(headers)
            .build();
    channel.confirmSelect();
    channel.basicPublish(exchange, routingKey, properties, body.getBytes(StandardCharsets.UTF_8));
    channel.waitForConfirmsOrDie(5_000);
  }

  /** Takes every message now in a queue (e.g. a dead-letter queue), acking them. */
  public List<Received> take(String queue) throws Exception {
    List<Received> taken = new ArrayList<>();
    GetResponse response;
    while ((response = channel.basicGet(queue, true)) != null) {
      String raw = new String(response.getBody(), StandardCharsets.UTF_8);
      JsonNode envelope;
      try {
        envelope = MAPPER.readTree(raw);
      } catch (Exception e) {
        envelope = MAPPER.createObjectNode();
      }
      taken.add(new Received(response.getProps(), envelope, raw));
    }
    return taken;
  }

  public static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    connection.close();
  }
}
