package dev.onhand.stock.fillrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.contracts.MessageSchemas;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Messages;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Fulfillment's announcements of first-allocation outcomes become fill rates: each order line
 * counts once however often its order is announced, in the period it was allocated in, at the
 * location its first allocation asked.
 */
@QuarkusTest
class FillRateTest {
  private static final String EXCHANGE = "onhand.fulfillment";
  private static final String TYPE = "fulfillment.order.allocated";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final OffsetDateTime FROM = OffsetDateTime.parse("2025-03-01T00:00:00Z");
  private static final OffsetDateTime TO = OffsetDateTime.parse("2025-03-08T00:00:00Z");

  @Inject FillRates fillRates;

  @Test
  void linesFilledAtFirstAllocationOverAllLinesCountedOncePerOrder() throws Exception {
    String sku = Api.unique("SKU");
    String other = Api.unique("SKU");
    String wh1 = Api.unique("WH");
    String wh2 = Api.unique("WH");
    Set<String> messageIds = new LinkedHashSet<>();
    try (Broker broker = new Broker()) {
      // filled at wh1; its other line was backordered whole. Delivered twice as it was.
      Map<String, Object> a =
          allocated(FROM.plusHours(1), line(sku, 2, wh1, true), line(other, 1, null, false));
      messageIds.add(send(broker, a));
      send(broker, a);
      // asked at wh1, not filled (stock refused, or only part was free there); announced again
      // under a new message id
      Map<String, Object> b = allocated(FROM.plusDays(1), line(sku, 5, wh1, false));
      messageIds.add(send(broker, b));
      b.put("id", UUID.randomUUID().toString());
      messageIds.add(send(broker, b));
      // backordered whole: no location
      messageIds.add(send(broker, allocated(FROM.plusDays(2), line(sku, 1, null, false))));
      // filled at wh2
      messageIds.add(send(broker, allocated(FROM.plusDays(3), line(sku, 3, wh2, true))));
      // at the start of the period: in it; at its end and before it: not
      messageIds.add(send(broker, allocated(FROM, line(sku, 1, wh1, true))));
      messageIds.add(send(broker, allocated(TO, line(sku, 1, wh1, false))));
      messageIds.add(send(broker, allocated(FROM.minusSeconds(1), line(sku, 1, wh1, false))));
    }
    awaitProcessed(messageIds);
    assertThat(Db.scalar("SELECT count(*) FROM order_line_fill WHERE sku = ?", sku))
        .as("one row per order line, whatever the deliveries")
        .isEqualTo(7);

    // in [FROM, TO): a, b, the backorder, wh2's, the one at FROM: 3 of 5 filled
    FillRate all = rate(sku, null);
    assertThat(all.lines()).isEqualTo(5);
    assertThat(all.filled()).isEqualTo(3);
    assertThat(all.rate()).isEqualTo(0.6);
    assertThat(all.sku()).isEqualTo(sku);
    assertThat(all.location()).isNull();
    assertThat(all.from()).isEqualTo(FROM);
    assertThat(all.to()).isEqualTo(TO);

    // wh1 counts the lines asked there (a, b, the one at FROM), not the backorder
    FillRate atWh1 = rate(sku, wh1);
    assertThat(atWh1.lines()).isEqualTo(3);
    assertThat(atWh1.filled()).isEqualTo(2);
    assertThat(atWh1.rate()).isEqualTo(0.6667);
    assertThat(atWh1.location()).isEqualTo(wh1);

    FillRate atWh2 = rate(sku, wh2);
    assertThat(atWh2.lines()).isEqualTo(1);
    assertThat(atWh2.filled()).isEqualTo(1);
    assertThat(atWh2.rate()).isEqualTo(1.0);

    FillRate otherSku = rate(other, null);
    assertThat(otherSku.lines()).isEqualTo(1);
    assertThat(otherSku.filled()).isZero();
    assertThat(otherSku.rate()).isEqualTo(0.0);
    assertThat(rate(other, wh1).lines()).as("a backordered line is at no location").isZero();

    FillRate none = rate(sku, Api.unique("WH"));
    assertThat(none.lines()).isZero();
    assertThat(none.filled()).isZero();
    assertThat(none.rate()).as("no lines, no rate").isNull();
    assertThat(
            fillRates
                .forSku(sku, null, TO, TO.plusDays(1))
                .await()
                .atMost(Duration.ofSeconds(5))
                .lines())
        .as("the line at TO counts in the next period")
        .isEqualTo(1);
  }

  @Test
  void theContractsExampleIsAccepted() throws Exception {
    ObjectNode example = MessageSchemas.example(TYPE);
    String orderId = UUID.randomUUID().toString();
    String sku = Api.unique("SKU");
    String id = UUID.randomUUID().toString();
    example.put("id", id).put("subject", "order:" + orderId);
    ObjectNode data = (ObjectNode) example.get("data");
    data.put("orderId", orderId);
    ((ObjectNode) data.get("lines").get(0)).put("sku", sku);
    assertThat(MessageSchemas.violations(example)).isEmpty();
    try (Broker broker = new Broker()) {
      broker.publish(EXCHANGE, TYPE, example.toString(), Map.of());
    }
    awaitProcessed(Set.of(id));
    assertThat(Db.scalar("SELECT count(*) FROM inbox_failure WHERE message_id = ?", id)).isZero();
    assertThat(Db.scalar("SELECT count(*) FROM order_line_fill WHERE order_id = ?::uuid", orderId))
        .isEqualTo(2);
    OffsetDateTime at = OffsetDateTime.parse(data.get("allocatedAt").asText());
    FillRate rate = fillRates.forSku(sku, "EX-WH-1", at, at.plusSeconds(1)).await().indefinitely();
    assertThat(rate.lines()).isEqualTo(1);
    assertThat(rate.filled()).isEqualTo(1);
  }

  @Test
  void aFilledLineWithoutItsLocationIsDeadLetteredAndNothingIsKept() throws Exception {
    String sku = Api.unique("SKU");
    Map<String, Object> order =
        allocated(
            FROM.plusHours(1),
            line(sku, 1, Api.unique("WH"), true),
            line(sku + "-B", 1, null, true));
    String id = (String) order.get("id");
    List<Broker.Received> dead = new ArrayList<>();
    try (Broker broker = new Broker()) {
      send(broker, order);
      await()
          .atMost(WAIT)
          .until(
              () -> {
                broker.take(OrderAllocatedConsumer.CONSUMER + ".dlq").stream()
                    .filter(r -> id.equals(r.envelope().path("id").asText()))
                    .forEach(dead::add);
                return !dead.isEmpty();
              });
    }
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM inbox_failure WHERE message_id = ? AND dead_lettered", id))
        .isEqualTo(1);
    assertThat(Db.scalar("SELECT count(*) FROM order_line_fill WHERE sku = ?", sku))
        .as("not even the well-formed line")
        .isZero();
  }

  private FillRate rate(String sku, String location) {
    return fillRates.forSku(sku, location, FROM, TO).await().atMost(Duration.ofSeconds(5));
  }

  @SafeVarargs
  private static Map<String, Object> allocated(
      OffsetDateTime allocatedAt, Map<String, Object>... lines) {
    String orderId = UUID.randomUUID().toString();
    Map<String, Object> data = new HashMap<>();
    data.put("orderId", orderId);
    data.put("channel", "SHOP");
    data.put("channelOrderId", Api.unique("CO"));
    data.put("allocatedAt", allocatedAt.toString());
    data.put("lines", List.of(lines));
    Map<String, Object> envelope =
        Messages.withCorrelation(Messages.envelope(TYPE, "onhand/fulfillment", data), orderId);
    envelope.put("subject", "order:" + orderId);
    return envelope;
  }

  private static Map<String, Object> line(
      String sku, long quantity, String location, boolean filled) {
    Map<String, Object> line = new HashMap<>();
    line.put("sku", sku);
    line.put("quantity", quantity);
    line.put("location", location);
    line.put("filledAtFirstAllocation", filled);
    return line;
  }

  /** Publishes the envelope as it is now; returns its message id. */
  private static String send(Broker broker, Map<String, Object> envelope) throws Exception {
    broker.publish(EXCHANGE, TYPE, Broker.json(envelope), Map.of());
    return (String) envelope.get("id");
  }

  private static void awaitProcessed(Set<String> ids) {
    String list = String.join(",", ids);
    await()
        .atMost(WAIT)
        .until(
            () ->
                Db.scalar(
                        "SELECT count(*) FROM inbox WHERE consumer = ? AND message_id ="
                            + " ANY(string_to_array(?, ','))",
                        OrderAllocatedConsumer.CONSUMER,
                        list)
                    == ids.size());
  }
}
