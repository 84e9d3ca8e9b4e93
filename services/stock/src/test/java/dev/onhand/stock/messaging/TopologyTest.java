package dev.onhand.stock.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service declares its own durable exchange, quorum queues and dead-letter queues. */
@QuarkusTest
class TopologyTest {
  private static final List<String> QUEUES =
      List.of("stock.fulfillment-requests", "stock.receiving-movements", "stock.returns-movements");

  @Test
  void eachConsumerHasADurableQuorumQueueWithADeadLetterQueue() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setVirtualHost(
        org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("rabbitmq-virtual-host", String.class));
    try (Connection connection = factory.newConnection()) {
      for (String queue : QUEUES) {
        try (Channel channel = connection.createChannel()) {
          channel.queueDeclarePassive(queue);
          channel.queueDeclarePassive(queue + ".dlq");
          channel.exchangeDeclarePassive("onhand.stock");
          channel.exchangeDeclarePassive("onhand.dlx");
        }
        // redeclaring with another type is refused by the broker: proves the queue is quorum
        Channel probe = connection.createChannel();
        assertThatThrownBy(
                () -> probe.queueDeclare(queue, true, false, false, arguments(queue, "classic")))
            .as(queue + " is a quorum queue")
            .isInstanceOf(IOException.class)
            .hasStackTraceContaining("x-queue-type");
        // a durable redeclaration with the same arguments is accepted
        try (Channel channel = connection.createChannel()) {
          var ok = channel.queueDeclare(queue, true, false, false, arguments(queue, "quorum"));
          assertThat(ok.getQueue()).isEqualTo(queue);
        }
      }
    }
  }

  private static Map<String, Object> arguments(String queue, String type) {
    return Map.of(
        "x-queue-type",
        type,
        "x-dead-letter-exchange",
        "onhand.dlx",
        "x-dead-letter-routing-key",
        queue,
        "x-delivery-limit",
        20L);
  }
}
