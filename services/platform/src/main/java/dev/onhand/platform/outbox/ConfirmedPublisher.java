package dev.onhand.platform.outbox;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.onhand.platform.messaging.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes to the service's exchange with the RabbitMQ client and waits for the broker's publisher
 * confirms: a batch counts as sent only when the broker has taken every message of it. Used by the
 * outbox relay only, from its own thread. It declares the service's durable topic exchange when it
 * connects, so the exchange exists from the service's start.
 */
@ApplicationScoped
public class ConfirmedPublisher {
  private static final Logger LOG = Logger.getLogger(ConfirmedPublisher.class);

  private final ConnectionFactory factory;
  private final String exchange;
  private final Duration confirmTimeout;
  private Connection connection;
  private Channel channel;

  public ConfirmedPublisher(
      @ConfigProperty(name = "onhand.messaging.exchange") String exchange,
      @ConfigProperty(name = "rabbitmq-host") String host,
      @ConfigProperty(name = "rabbitmq-port") int port,
      @ConfigProperty(name = "rabbitmq-username") String username,
      @ConfigProperty(name = "rabbitmq-password") String password,
      @ConfigProperty(name = "rabbitmq-virtual-host") String virtualHost,
      @ConfigProperty(name = "onhand.outbox.confirm-timeout", defaultValue = "PT10S")
          Duration confirmTimeout) {
    this.exchange = exchange;
    this.confirmTimeout = confirmTimeout;
    this.factory = new ConnectionFactory();
    factory.setHost(host);
    factory.setPort(port);
    factory.setUsername(username);
    factory.setPassword(password);
    factory.setVirtualHost(virtualHost);
    factory.setConnectionTimeout(5_000);
    // the relay reconnects by itself on its next attempt; no hidden recovery thread replays state
    factory.setAutomaticRecoveryEnabled(false);
  }

  /** A message as read from the outbox. */
  public record Outgoing(
      String messageId,
      String type,
      String routingKey,
      Map<String, Object> headers,
      Date createdAt,
      byte[] payload) {}

  /** Sends every message in order and returns once the broker confirmed them all; throws if not. */
  public synchronized void publish(List<Outgoing> messages)
      throws IOException, InterruptedException, TimeoutException {
    Channel open = channel();
    try {
      for (Outgoing message : messages) {
        AMQP.BasicProperties properties =
            new AMQP.BasicProperties.Builder()
                .messageId(message.messageId())
                .type(message.type())
                .contentType(Envelope.CONTENT_TYPE)
                .deliveryMode(2)
                .timestamp(message.createdAt())
                .headers(message.headers())
                .build();
        open.basicPublish(exchange, message.routingKey(), properties, message.payload());
      }
      open.waitForConfirmsOrDie(confirmTimeout.toMillis());
    } catch (IOException | TimeoutException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Connects (and declares the exchange) if not connected; true when connected. */
  public synchronized boolean connect() {
    try {
      channel();
      return true;
    } catch (IOException | TimeoutException e) {
      LOG.warnf("Cannot reach RabbitMQ to publish to %s: %s", exchange, e.toString());
      return false;
    }
  }

  public synchronized boolean connected() {
    return channel != null && channel.isOpen();
  }

  private Channel channel() throws IOException, TimeoutException {
    if (channel != null && channel.isOpen()) {
      return channel;
    }
    close();
    connection = factory.newConnection("outbox-relay:" + exchange);
    channel = connection.createChannel();
    channel.exchangeDeclare(exchange, "topic", true);
    channel.confirmSelect();
    return channel;
  }

  public synchronized void close() {
    try {
      if (connection != null && connection.isOpen()) {
        connection.close(2_000);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debugf("Closing the relay's connection: %s", e);
    }
    connection = null;
    channel = null;
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
