package dev.onhand.platform.deadletter;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The broker side of a replay: a consumer's queue (its RabbitMQ channels' {@code queue.name}; the
 * inbox names each consumer after its queue) and its dead-letter queue {@code <queue>.dlq}. Moves
 * messages back with the RabbitMQ client over a short-lived connection of its own; blocking, so
 * callers run it on a worker thread.
 */
@ApplicationScoped
public class DeadLetterQueues {
  private static final Pattern CONNECTOR =
      Pattern.compile("^(?:%[^.]+\\.)?mp\\.messaging\\.incoming\\.([^.]+)\\.connector$");
  private static final String PREFIX = "mp.messaging.incoming.";
  // the broker's own count of a quorum queue's deliveries; a replayed message starts afresh
  private static final String DELIVERY_COUNT = "x-delivery-count";

  private final Config config;
  private final ConnectionFactory factory;
  private final String service;
  private final int maxMessages;
  private volatile Set<String> queues;

  public DeadLetterQueues(
      Config config,
      @ConfigProperty(name = "onhand.service") String service,
      @ConfigProperty(name = "rabbitmq-host") String host,
      @ConfigProperty(name = "rabbitmq-port") int port,
      @ConfigProperty(name = "rabbitmq-username") String username,
      @ConfigProperty(name = "rabbitmq-password") String password,
      @ConfigProperty(name = "rabbitmq-virtual-host") String virtualHost,
      @ConfigProperty(name = "onhand.dead-letters.max-messages", defaultValue = "10000")
          int maxMessages) {
    this.config = config;
    this.service = service;
    this.maxMessages = maxMessages;
    this.factory = new ConnectionFactory();
    factory.setHost(host);
    factory.setPort(port);
    factory.setUsername(username);
    factory.setPassword(password);
    factory.setVirtualHost(virtualHost);
    factory.setConnectionTimeout(5_000);
    factory.setAutomaticRecoveryEnabled(false);
  }

  /** The queues this service consumes from RabbitMQ, which are also its consumers' names. */
  public Set<String> queues() {
    Set<String> known = queues;
    if (known == null) {
      known = new TreeSet<>();
      for (String name : config.getPropertyNames()) {
        Matcher matcher = CONNECTOR.matcher(name);
        if (!matcher.matches()) {
          continue;
        }
        String channel = matcher.group(1);
        boolean rabbit =
            config
                .getOptionalValue(PREFIX + channel + ".connector", String.class)
                .filter("smallrye-rabbitmq"::equals)
                .isPresent();
        boolean enabled =
            config.getOptionalValue(PREFIX + channel + ".enabled", Boolean.class).orElse(true);
        if (rabbit && enabled) {
          known.add(
              config
                  .getOptionalValue(PREFIX + channel + ".queue.name", String.class)
                  .orElse(channel));
        }
      }
      known = Set.copyOf(known);
      queues = known;
    }
    return known;
  }

  /** A message taken from a dead-letter queue and not yet acknowledged. */
  public record Held(long deliveryTag, AMQP.BasicProperties properties, byte[] body) {}

  /**
   * Takes every message of {@code <queue>.dlq} (up to a bound) without acknowledging it, so none is
   * taken twice; {@code choose} picks those to move (and may do its own work first); they are
   * published to {@code queue} through the default exchange with their body and properties,
   * confirmed by the broker, then acknowledged off the dead-letter queue. The others return to it
   * when the connection closes. Returns how many moved, or empty when the dead-letter queue does
   * not exist.
   */
  public Optional<Integer> move(String queue, Function<List<Held>, List<Held>> choose)
      throws IOException, TimeoutException, InterruptedException {
    String deadLetterQueue = queue + ".dlq";
    try (Connection connection = factory.newConnection("dead-letter-replay:" + service)) {
      Channel channel = connection.createChannel();
      try {
        channel.queueDeclarePassive(deadLetterQueue);
      } catch (IOException e) {
        return Optional.empty(); // the broker closed the channel: no such queue
      }
      List<Held> held = new ArrayList<>();
      GetResponse response;
      while (held.size() < maxMessages
          && (response = channel.basicGet(deadLetterQueue, false)) != null) {
        held.add(
            new Held(
                response.getEnvelope().getDeliveryTag(), response.getProps(), response.getBody()));
      }
      List<Held> chosen = choose.apply(held);
      if (!chosen.isEmpty()) {
        channel.confirmSelect();
        for (Held message : chosen) {
          channel.basicPublish("", queue, afresh(message.properties()), message.body());
        }
        channel.waitForConfirmsOrDie(10_000);
        for (Held message : chosen) {
          channel.basicAck(message.deliveryTag(), false);
        }
      }
      // closing the channel first sends its acks, then returns the unchosen messages
      channel.close();
      return Optional.of(chosen.size());
    }
  }

  private static AMQP.BasicProperties afresh(AMQP.BasicProperties properties) {
    if (properties.getHeaders() == null || !properties.getHeaders().containsKey(DELIVERY_COUNT)) {
      return properties;
    }
    Map<String, Object> headers = new HashMap<>(properties.getHeaders());
    headers.remove(DELIVERY_COUNT);
    return properties.builder().headers(headers).build();
  }
}
