package dev.onhand.platform.outbox;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Declares the service's own exchange at start. The messaging connector declares it only when the
 * first message is sent, and a consumer that binds to it before then would find nothing.
 */
@ApplicationScoped
public class ExchangeDeclaration {
  private static final Logger LOG = Logger.getLogger(ExchangeDeclaration.class);

  void declare(
      @Observes StartupEvent event,
      @ConfigProperty(name = "onhand.messaging.exchange") String exchange,
      @ConfigProperty(name = "rabbitmq-host") String host,
      @ConfigProperty(name = "rabbitmq-port") int port,
      @ConfigProperty(name = "rabbitmq-username") String username,
      @ConfigProperty(name = "rabbitmq-password") String password,
      @ConfigProperty(name = "rabbitmq-virtual-host") String virtualHost) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(host);
    factory.setPort(port);
    factory.setUsername(username);
    factory.setPassword(password);
    factory.setVirtualHost(virtualHost);
    factory.setConnectionTimeout(5_000);
    try (Connection connection = factory.newConnection("exchange-declaration");
        Channel channel = connection.createChannel()) {
      channel.exchangeDeclare(exchange, "topic", true);
    } catch (Exception e) {
      // the broker is down: the connector declares the exchange when it connects
      LOG.warnf("Could not declare exchange %s at start: %s", exchange, e.toString());
    }
  }
}
