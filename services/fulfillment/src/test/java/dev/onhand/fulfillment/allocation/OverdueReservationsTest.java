package dev.onhand.fulfillment.allocation;

import static dev.onhand.fulfillment.support.Orders.awaitAvailable;
import static dev.onhand.fulfillment.support.Orders.awaitStatus;
import static dev.onhand.fulfillment.support.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.fulfillment.support.Orders;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.StockService;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A reservation request stock leaves unanswered past the timeout is reported, once. */
@QuarkusTest
class OverdueReservationsTest {

  @Test
  void anUnansweredRequestIsReportedOnceAsATimingDelay() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 3);
    awaitAvailable(sku, location, 3);
    String id = Orders.place(order(Orders.channel(true, location), sku, 1));
    awaitStatus(id, "ALLOCATED");

    // a request stock never answered, asked a minute ago (as if its answer were lost in a queue)
    Jdbc db = Jdbc.ofApplication();
    UUID silent = UUID.randomUUID();
    db.execute(
        "INSERT INTO allocation (id, order_id, location, status, first_round, created_at) VALUES"
            + " (?, ?::uuid, ?, 'REQUESTED', false, now() - interval '1 minute')",
        silent,
        id,
        location);
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.fulfillment", "fulfillment.exception.raised")) {
      Broker.Received raised =
          tap.await(
              r -> r.data().path("references").toString().contains(silent.toString()),
              Duration.ofSeconds(10));
      assertThat(raised.data().path("kind").asText()).isEqualTo("TIMING_DELAY");
      assertThat(raised.data().path("reference").asText()).isEqualTo("order:" + id);
      assertThat(tap.drain(Duration.ofSeconds(2)))
          .filteredOn(r -> r.raw().contains(silent.toString()))
          .as("reported once")
          .isEmpty();
    } finally {
      db.execute("UPDATE allocation SET status = 'REJECTED' WHERE id = ?", silent);
    }
    assertThat(
            db.scalar(
                "SELECT count(*) FROM allocation WHERE id = ? AND overdue_reported_at IS NOT NULL",
                silent))
        .isEqualTo(1);
  }
}
