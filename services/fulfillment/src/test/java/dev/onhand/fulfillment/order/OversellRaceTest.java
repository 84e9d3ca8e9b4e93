package dev.onhand.fulfillment.order;

import static dev.onhand.fulfillment.support.Orders.awaitAvailable;
import static dev.onhand.fulfillment.support.Orders.json;
import static dev.onhand.fulfillment.support.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onhand.fulfillment.support.Orders;
import dev.onhand.platform.testing.Concurrently;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.StockService;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Many orders racing for the last units: exactly what exists is allocated, never more. */
@QuarkusTest
class OversellRaceTest {

  @Test
  void threeHundredOrdersRacingForOneHundredUnitsOverTwoLocations() throws Exception {
    String east = StockService.location();
    String west = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, east, "available", 60);
    StockService.adjust(sku, west, "available", 40);
    awaitAvailable(sku, east, 60);
    awaitAvailable(sku, west, 40);
    String channel = Orders.channel(true, east, west);

    List<String> ids =
        Concurrently.run(
            300,
            i ->
                () ->
                    json()
                        .body(order(channel, sku, 1))
                        .post("/api/v1/orders")
                        .then()
                        .statusCode(202)
                        .extract()
                        .<String>path("id"));
    assertThat(ids).doesNotHaveDuplicates().hasSize(300);

    Jdbc db = Jdbc.ofApplication();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                db.scalar(
                        "SELECT count(*) FROM customer_order o JOIN order_line l ON l.order_id ="
                            + " o.id WHERE l.sku = ? AND o.status = 'RECEIVED'",
                        sku)
                    == 0);
    long allocated =
        db.scalar(
            "SELECT count(*) FROM customer_order o JOIN order_line l ON l.order_id = o.id WHERE"
                + " l.sku = ? AND o.status = 'ALLOCATED'",
            sku);
    long backordered =
        db.scalar(
            "SELECT count(*) FROM customer_order o JOIN order_line l ON l.order_id = o.id WHERE"
                + " l.sku = ? AND o.status = 'BACKORDERED'",
            sku);
    assertThat(allocated).as("orders allocated").isEqualTo(100);
    assertThat(backordered).as("orders backordered").isEqualTo(200);

    // stock agrees unit for unit, per location, and nothing went negative
    StockService.awaitQuantity(sku, east, "committed", 60);
    StockService.awaitQuantity(sku, west, "committed", 40);
    assertThat(StockService.quantity(sku, east, "available")).isZero();
    assertThat(StockService.quantity(sku, west, "available")).isZero();
    for (String location : List.of(east, west)) {
      long reservedHere =
          db.scalar(
              "SELECT coalesce(sum(l.quantity - l.shipped - l.released), 0) FROM allocation a JOIN"
                  + " allocation_line l ON l.allocation_id = a.id WHERE a.status = 'CONFIRMED' AND"
                  + " a.location = ? AND l.sku = ?",
              location,
              sku);
      assertThat(reservedHere)
          .as("fulfillment's allocations at %s equal stock's committed units", location)
          .isEqualTo(StockService.quantity(sku, location, "committed"));
    }
    StockService.assertLedgerMatchesBalances(sku);
    // the units asked of stock and not answered, kept per (SKU, location), equal what the
    // allocations still waiting for stock hold, through confirmations and rejections alike
    for (String location : List.of(east, west)) {
      long waiting =
          db.scalar(
              "SELECT coalesce(sum(l.quantity), 0) FROM allocation a JOIN allocation_line l ON"
                  + " l.allocation_id = a.id WHERE a.status = 'REQUESTED' AND a.location = ? AND"
                  + " l.sku = ?",
              location,
              sku);
      assertThat(
              db.scalar(
                  "SELECT requested FROM availability WHERE location = ? AND sku = ?",
                  location,
                  sku))
          .as("availability.requested at %s", location)
          .isEqualTo(waiting)
          .isZero();
    }
    assertThat(
            db.scalar(
                "SELECT count(*) FROM allocation a JOIN allocation_line l ON l.allocation_id = a.id"
                    + " WHERE a.status = 'REJECTED' AND l.sku = ?",
                sku))
        .as("some requests were refused by stock and settled as rejected")
        .isPositive();
  }
}
