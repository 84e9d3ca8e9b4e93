package dev.onhand.fulfillment.order;

import static dev.onhand.fulfillment.support.Orders.awaitAvailable;
import static dev.onhand.fulfillment.support.Orders.awaitStatus;
import static dev.onhand.fulfillment.support.Orders.json;
import static dev.onhand.fulfillment.support.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.onhand.fulfillment.support.Orders;
import dev.onhand.platform.testing.StockService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Orders allocated by the rules, reserved in stock, and backorders served when stock arrives. */
@QuarkusTest
@QuarkusTestResource(StockService.class)
class AllocationTest {

  @Test
  void anOrderOneLocationCanFillWholeGoesThereEvenWhenAHigherRankedOneWouldSplitIt()
      throws Exception {
    String high = StockService.location();
    String low = StockService.location();
    String shirts = StockService.item();
    String caps = StockService.item();
    StockService.adjust(shirts, high, "available", 5);
    StockService.adjust(shirts, low, "available", 5);
    StockService.adjust(caps, low, "available", 5);
    awaitAvailable(caps, low, 5);
    awaitAvailable(shirts, high, 5);
    String channel = Orders.channel(true, high, low);

    String id = Orders.place(order(channel, shirts, 2, caps, 2));
    awaitStatus(id, "ALLOCATED");
    List<Map<String, Object>> allocations =
        json().get("/api/v1/orders/{id}", id).then().extract().path("allocations");
    assertThat(allocations).extracting(a -> a.get("location")).containsExactly(low);
    assertThat(allocations.get(0).get("status")).isEqualTo("CONFIRMED");
    StockService.awaitQuantity(shirts, low, "committed", 2);
    assertThat(StockService.quantity(caps, low, "committed")).isEqualTo(2);
    assertThat(StockService.quantity(shirts, high, "committed")).isZero();
    json()
        .get("/api/v1/orders/{id}", id)
        .then()
        .body("lines[0].allocated", equalTo(2))
        .body("lines[0].backordered", equalTo(0))
        .body("lines[0].filledAtFirstAllocation", equalTo(true))
        .body("transitions.status", equalTo(List.of("RECEIVED", "ALLOCATED")));
  }

  @Test
  void aLineNoLocationCanFillAloneIsSplitInRankOrderWhenAllowed() throws Exception {
    String first = StockService.location();
    String second = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, first, "available", 3);
    StockService.adjust(sku, second, "available", 3);
    awaitAvailable(sku, first, 3);
    awaitAvailable(sku, second, 3);

    String split = Orders.place(order(Orders.channel(true, first, second), sku, 5));
    awaitStatus(split, "ALLOCATED");
    StockService.awaitQuantity(sku, first, "committed", 3);
    StockService.awaitQuantity(sku, second, "committed", 2);

    // a channel that forbids splitting takes what one location has and backorders the rest
    String whole = Orders.place(order(Orders.channel(false, first, second), sku, 2));
    awaitStatus(whole, "PARTIALLY_ALLOCATED");
    json()
        .get("/api/v1/orders/{id}", whole)
        .then()
        .body("lines[0].allocated", equalTo(1))
        .body("lines[0].backordered", equalTo(1))
        .body("lines[0].filledAtFirstAllocation", equalTo(false));
    StockService.assertLedgerMatchesBalances(sku);
  }

  @Test
  void stockArrivingForABackorderedSkuServesTheOldestBackordersFirst() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    String channel = Orders.channel(true, location);
    String oldest = Orders.place(order(channel, sku, 2));
    awaitStatus(oldest, "BACKORDERED");
    String middle = Orders.place(order(channel, sku, 2));
    awaitStatus(middle, "BACKORDERED");
    String newest = Orders.place(order(channel, sku, 2));
    awaitStatus(newest, "BACKORDERED");

    StockService.adjust(sku, location, "available", 3);
    awaitStatus(oldest, "ALLOCATED");
    awaitStatus(middle, "PARTIALLY_ALLOCATED");
    assertThat(Orders.status(newest)).isEqualTo("BACKORDERED");
    StockService.awaitQuantity(sku, location, "committed", 3);

    StockService.adjust(sku, location, "available", 10);
    awaitStatus(middle, "ALLOCATED");
    awaitStatus(newest, "ALLOCATED");
    StockService.awaitQuantity(sku, location, "committed", 6);
    StockService.awaitQuantity(sku, location, "available", 7);
    json()
        .get("/api/v1/orders/{id}", oldest)
        .then()
        .body("lines[0].filledAtFirstAllocation", equalTo(false))
        .body(
            "transitions.status",
            equalTo(List.of("RECEIVED", "BACKORDERED", "RECEIVED", "ALLOCATED")));
    StockService.assertLedgerMatchesBalances(sku);
  }
}
