package dev.onhand.e2e.faults;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * R4: every message delivered twice. A duplicator taps every service's exchange and publishes each
 * message once more, unchanged (same id, type, routing key), while a day's work runs: a purchase
 * order received, orders allocated and backordered, shipments, cancellations and a return. The end
 * state must be exactly what single delivery gives, computed from the work itself.
 */
final class Redelivery implements Faults.Scenario {
  private static final List<String> EXCHANGES =
      List.of("onhand.stock", "onhand.receiving", "onhand.fulfillment", "onhand.returns");
  private static final String COPY = "x-onhand-fault-copy";
  private final Suite suite;

  Redelivery(Suite suite) {
    this.suite = suite;
  }

  @Override
  public Outcome run() throws Exception {
    Outcome outcome = new Outcome();
    AtomicLong copies = new AtomicLong();
    try (Connection connection = Suite.broker().newConnection("onhand-faults-duplicator")) {
      Channel channel = connection.createChannel();
      String queue = channel.queueDeclare().getQueue();
      for (String exchange : EXCHANGES) {
        channel.queueBind(queue, exchange, "#");
      }
      Channel publisher = connection.createChannel();
      channel.basicConsume(
          queue,
          true,
          (tag, delivery) -> {
            AMQP.BasicProperties properties = delivery.getProperties();
            Map<String, Object> headers =
                properties.getHeaders() == null
                    ? new HashMap<>()
                    : new HashMap<>(properties.getHeaders());
            if (headers.containsKey(COPY)) {
              return;
            }
            headers.put(COPY, true);
            synchronized (publisher) {
              publisher.basicPublish(
                  delivery.getEnvelope().getExchange(),
                  delivery.getEnvelope().getRoutingKey(),
                  properties.builder().headers(headers).build(),
                  delivery.getBody());
            }
            copies.incrementAndGet();
          },
          tag -> {});
      work(outcome);
      Suite.sleep(3000);
    }
    outcome.operations = copies.get();
    outcome.notes.add("messages delivered twice: " + copies.get());
    suite.checkStock(outcome);
    return outcome;
  }

  private void work(Outcome outcome) {
    String location = suite.location();
    String sku = suite.item();
    // receiving: 20 ordered, 12 + 3 received (one damaged), closed: 5 never come
    String number = Suite.unique("PO-R4");
    Http.Reply po = null;
    for (int i = 0; i < 100 && (po == null || po.status() != 201); i++) {
      po =
          suite.api.send(
              "POST",
              "/api/v1/purchase-orders",
              Map.of(
                  "number",
                  number,
                  "supplier",
                  "Acme",
                  "location",
                  location,
                  "lines",
                  List.of(Map.of("sku", sku, "quantity", 20))),
              number);
      Suite.sleep(200);
    }
    Suite.require(po, 201);
    String poId = po.json().path("id").asText();
    receipt(poId, sku, 12, 0);
    receipt(poId, sku, 2, 1);
    Suite.require(suite.api.send("POST", "/api/v1/purchase-orders/" + poId + "/close", null), 200);
    awaitQuantity(outcome, sku, location, "available", 14);

    // fulfillment: 16 orders of one unit for 14 units: 14 allocated, 2 backordered
    String[] orders = new String[16];
    for (int i = 0; i < orders.length; i++) {
      orders[i] =
          Suite.require(
                  suite.api.send(
                      "POST",
                      "/api/v1/orders",
                      Map.of(
                          "channel",
                          "web",
                          "channelOrderId",
                          number + "-" + i,
                          "lines",
                          List.of(Map.of("sku", sku, "quantity", 1)))),
                  202)
              .json()
              .path("id")
              .asText();
    }
    awaitQuantity(outcome, sku, location, "committed", 14);
    // 4 shipped, 1 cancelled (its unit goes to a backorder)
    int shipped = 0;
    String cancelled = null;
    for (String order : orders) {
      String status =
          suite.api.send("GET", "/api/v1/orders/" + order, null).json().path("status").asText();
      if (!"ALLOCATED".equals(status)) {
        continue;
      }
      if (shipped < 4) {
        Suite.require(
            suite.api.send(
                "POST",
                "/api/v1/orders/" + order + "/shipments",
                Map.of("location", location, "lines", List.of(Map.of("sku", sku, "quantity", 1)))),
            201);
        shipped++;
      } else if (cancelled == null) {
        cancelled = order;
        Suite.require(
            suite.api.send("POST", "/api/v1/orders/" + order + "/cancel", Map.of("reason", "r4")),
            200);
      }
    }
    // the cancelled unit went to a backorder: 14 − 4 shipped stay committed
    awaitQuantity(outcome, sku, location, "committed", 10);
    // returns: the first shipped order's unit comes back sellable
    String shippedOrder = null;
    for (String order : orders) {
      if ("SHIPPED"
          .equals(
              suite
                  .api
                  .send("GET", "/api/v1/orders/" + order, null)
                  .json()
                  .path("status")
                  .asText())) {
        shippedOrder = order;
        break;
      }
    }
    Http.Reply rma = null;
    for (int i = 0; i < 100 && (rma == null || rma.status() != 201); i++) {
      rma =
          suite.api.send(
              "POST",
              "/api/v1/returns",
              Map.of("orderId", shippedOrder, "lines", List.of(Map.of("sku", sku, "quantity", 1))));
      Suite.sleep(200);
    }
    Suite.require(rma, 201);
    Suite.require(
        suite.api.send(
            "POST",
            "/api/v1/returns/" + rma.json().path("id").asText() + "/receipts",
            Map.of(
                "location",
                location,
                "lines",
                List.of(Map.of("sku", sku, "quantity", 1, "condition", "SELLABLE")))),
        201);
    // single delivery gives: the returned unit goes to the backorder still waiting, so
    // available 0, committed 10 + 1, damaged 1
    awaitQuantity(outcome, sku, location, "committed", 11);
    Suite.sleep(2000);
    check(outcome, sku, location, "available", 0);
    check(outcome, sku, location, "committed", 11);
    check(outcome, sku, location, "damaged", 1);
    check(outcome, sku, location, "incoming", 0);
  }

  private void receipt(String poId, String sku, int good, int damaged) {
    Suite.require(
        suite.api.send(
            "POST",
            "/api/v1/purchase-orders/" + poId + "/receipts",
            Map.of("lines", List.of(Map.of("sku", sku, "good", good, "damaged", damaged)))),
        201);
  }

  private long quantity(String sku, String location, String state) {
    for (var balance :
        suite.api.send("GET", "/api/v1/inventory/" + sku, null).json().path("locations")) {
      if (location.equals(balance.path("location").asText())) {
        return balance.path(state).asLong();
      }
    }
    return 0;
  }

  private void awaitQuantity(
      Outcome outcome, String sku, String location, String state, long expected) {
    try {
      Suite.awaitTrue(
          () -> quantity(sku, location, state) == expected, 60, state + " = " + expected);
    } catch (IllegalStateException e) {
      check(outcome, sku, location, state, expected);
    }
  }

  private void check(Outcome outcome, String sku, String location, String state, long expected) {
    long actual = quantity(sku, location, state);
    outcome.check(
        actual == expected, state + " " + actual + " = " + expected + " as with single delivery");
    if (actual > expected) {
      outcome.duplicated += actual - expected;
    } else if (actual < expected) {
      outcome.lost += expected - actual;
    }
  }
}
