package dev.onhand.fulfillment.order;

import static dev.onhand.fulfillment.support.Orders.awaitAvailable;
import static dev.onhand.fulfillment.support.Orders.awaitStatus;
import static dev.onhand.fulfillment.support.Orders.json;
import static dev.onhand.fulfillment.support.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.onhand.fulfillment.support.Orders;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.StockService;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What pickers find: units missing (short pick) or the wrong SKU shipped (mispick). */
@QuarkusTest
class PickExceptionsTest {

  @Test
  void aShortPickLosesTheUnitsAndAllocatesTheLineAgainElsewhere() throws Exception {
    String first = StockService.location();
    String second = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, first, "available", 3);
    StockService.adjust(sku, second, "available", 5);
    awaitAvailable(sku, first, 3);
    awaitAvailable(sku, second, 5);
    String id = Orders.place(order(Orders.channel(true, first, second), sku, 3));
    awaitStatus(id, "ALLOCATED");
    StockService.awaitQuantity(sku, first, "committed", 3);

    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.fulfillment", "fulfillment.exception.raised")) {
      json()
          .body(Map.of("type", "SHORT_PICK", "location", first, "sku", sku, "quantity", 2))
          .post("/api/v1/orders/{id}/pick-exceptions", id)
          .then()
          .statusCode(201);
      Broker.Received raised =
          tap.await(
              r -> r.data().path("reference").asText().equals("order:" + id),
              Duration.ofSeconds(10));
      assertThat(raised.data().path("kind").asText()).isEqualTo("SHORT_PICK");
      assertThat(raised.data().path("sku").asText()).isEqualTo(sku);
      assertThat(raised.data().path("location").asText()).isEqualTo(first);
      assertThat(raised.data().path("expected").asLong()).isEqualTo(2);
    }
    awaitStatus(id, "ALLOCATED");
    StockService.awaitQuantity(sku, second, "committed", 2);
    StockService.awaitQuantity(sku, first, "committed", 1);
    // the missing units are gone from the first location, not back on sale
    assertThat(StockService.quantity(sku, first, "available")).isZero();
    assertThat(StockService.balance(sku, first).get("onHand")).isEqualTo(1);
    assertThat(StockService.ledger(sku, first))
        .filteredOn(e -> "lost".equals(e.get("reason")))
        .extracting(e -> e.get("state") + " " + e.get("delta"))
        .containsExactly("committed -2");
    json()
        .get("/api/v1/orders/{id}", id)
        .then()
        .body("lines[0].allocated", equalTo(3))
        .body("lines[0].backordered", equalTo(0));
    StockService.assertLedgerMatchesBalances(sku);
  }

  @Test
  void aMispickCorrectsBothSkus() throws Exception {
    String location = StockService.location();
    String ordered = StockService.item();
    String shipped = StockService.item();
    StockService.adjust(ordered, location, "available", 5);
    StockService.adjust(shipped, location, "available", 5);
    awaitAvailable(ordered, location, 5);
    String id = Orders.place(order(Orders.channel(true, location), ordered, 2));
    awaitStatus(id, "ALLOCATED");
    StockService.awaitQuantity(ordered, location, "committed", 2);

    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.fulfillment", "fulfillment.exception.raised")) {
      json()
          .body(
              Map.of(
                  "type", "MISPICK",
                  "location", location,
                  "sku", ordered,
                  "quantity", 2,
                  "shippedSku", shipped))
          .post("/api/v1/orders/{id}/pick-exceptions", id)
          .then()
          .statusCode(201)
          .body("status", equalTo("SHIPPED"))
          .body("lines[0].shipped", equalTo(2));
      Broker.Received raised =
          tap.await(
              r -> r.data().path("reference").asText().equals("order:" + id),
              Duration.ofSeconds(10));
      assertThat(raised.data().path("kind").asText()).isEqualTo("MISPICK");
      assertThat(raised.data().path("references").toString()).contains("sku:" + shipped);
    }
    // the ordered units are still on the shelf; the ones that left were the other SKU
    StockService.awaitQuantity(ordered, location, "committed", 0);
    StockService.awaitQuantity(ordered, location, "available", 5);
    StockService.awaitQuantity(shipped, location, "available", 3);
    assertThat(StockService.ledger(shipped, location))
        .filteredOn(e -> "mispick".equals(e.get("reason")))
        .extracting(e -> e.get("state") + " " + e.get("delta"))
        .containsExactly("available -2");
    StockService.assertLedgerMatchesBalances(ordered);
    StockService.assertLedgerMatchesBalances(shipped);
  }

  @Test
  void aPickExceptionBeyondWhatIsReservedIsRefused() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 5);
    awaitAvailable(sku, location, 5);
    String id = Orders.place(order(Orders.channel(true, location), sku, 2));
    awaitStatus(id, "ALLOCATED");
    json()
        .body(Map.of("type", "SHORT_PICK", "location", location, "sku", sku, "quantity", 3))
        .post("/api/v1/orders/{id}/pick-exceptions", id)
        .then()
        .statusCode(422)
        .body("code", equalTo("EXCEEDS_ALLOCATED"));
    json()
        .body(Map.of("type", "MISPICK", "location", location, "sku", sku, "quantity", 1))
        .post("/api/v1/orders/{id}/pick-exceptions", id)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("shippedSku"));
    json()
        .body(Map.of("type", "LOST_PARCEL", "location", location, "sku", sku, "quantity", 1))
        .post("/api/v1/orders/{id}/pick-exceptions", id)
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    StockService.awaitQuantity(sku, location, "committed", 2);
    assertThat(StockService.quantity(sku, location, "available")).isEqualTo(3);
    assertThat(Orders.status(id)).isEqualTo("ALLOCATED");
  }
}
