package dev.onhand.e2e.faults;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * R5: a poison message — a movement request receiving could never have sent (its data breaks the
 * contract) — on stock's queue. It is dead-lettered, counted in stock's
 * onhand_messages_dead_lettered_total, registered once as MESSAGE_DEAD_LETTERED, listed by the
 * admin call and replayed by it (still poison, it comes back to the dead-letter queue, and the
 * register still holds it once); nothing moves in stock.
 */
final class PoisonMessage implements Faults.Scenario {
  private static final String CONSUMER = "stock.receiving-movements";
  private final Suite suite;

  PoisonMessage(Suite suite) {
    this.suite = suite;
  }

  @Override
  public Outcome run() throws Exception {
    Outcome outcome = new Outcome();
    Http stock = new Http("http://127.0.0.1:" + Suite.port("stock"), null);
    double countedBefore = deadLetteredMetric(stock);
    long ledgerBefore = suite.scalar("stock", "SELECT count(*) FROM ledger");
    String id = UUID.randomUUID().toString();
    String envelope =
        "{\"specversion\":\"1.0\",\"id\":\""
            + id
            + "\",\"type\":\"receiving.movement.requested\",\"source\":\"onhand/receiving\","
            + "\"time\":\""
            + Instant.now()
            + "\",\"datacontenttype\":\"application/json\",\"schemaversion\":1,"
            + "\"data\":{\"poison\":true}}";
    try (Connection connection = Suite.broker().newConnection("onhand-faults-poison");
        Channel channel = connection.createChannel()) {
      channel.basicPublish(
          "onhand.receiving",
          "receiving.movement.requested",
          new AMQP.BasicProperties.Builder()
              .messageId(id)
              .type("receiving.movement.requested")
              .contentType("application/json")
              .deliveryMode(2)
              .build(),
          envelope.getBytes(StandardCharsets.UTF_8));
    }
    outcome.operations = 1;
    Suite.awaitTrue(() -> registered(id) == 1, 60, "the register holds the dead letter");
    outcome.check(deadLetteredMetric(stock) - countedBefore >= 1, "the metric counted it");
    Http.Reply list = suite.api.send("GET", "/api/v1/admin/stock/dead-letters?limit=200", null);
    outcome.check(
        list.status() == 200 && list.body().contains(id),
        "the admin call lists it (" + list.status() + ")");
    Http.Reply replay =
        suite.api.send(
            "POST",
            "/api/v1/admin/stock/dead-letters/replay",
            Map.of("consumer", CONSUMER, "messageIds", List.of(id)));
    outcome.check(
        replay.status() == 200 && replay.json().path("replayed").asInt() == 1,
        "the admin call replays it (" + replay.status() + " " + replay.body() + ")");
    if (replay.status() == 200) {
      outcome.recovered++;
    }
    // still poison: dead-lettered again, and registered still once
    Suite.awaitTrue(
        () -> deadLetteredMetric(stock) - countedBefore >= 2,
        60,
        "dead-lettered again after replay");
    Suite.sleep(1000);
    long entries = registered(id);
    outcome.check(entries == 1, "registered once (" + entries + ")");
    outcome.duplicated += Math.max(0, entries - 1);
    outcome.check(
        suite.scalar("stock", "SELECT count(*) FROM ledger") == ledgerBefore,
        "nothing moved in stock");
    return outcome;
  }

  private long registered(String messageId) {
    return suite.scalar(
        "stock",
        "SELECT count(*) FROM exception_entry WHERE kind = 'MESSAGE_DEAD_LETTERED' AND reference = ?",
        "message:" + messageId);
  }

  private static double deadLetteredMetric(Http service) {
    return Metrics.sum(
        service.send("GET", "/q/metrics", null).body(),
        "onhand_messages_dead_lettered_total",
        "consumer=\"" + CONSUMER + "\"");
  }
}
