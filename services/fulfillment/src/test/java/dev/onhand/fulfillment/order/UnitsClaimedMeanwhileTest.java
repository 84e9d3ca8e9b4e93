package dev.onhand.fulfillment.order;

import static dev.onhand.fulfillment.support.Orders.awaitAvailable;
import static dev.onhand.fulfillment.support.Orders.json;
import static dev.onhand.fulfillment.support.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onhand.fulfillment.support.Orders;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.StockService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A new order plans from the free units it reads without locking them and counts its units on the
 * SKU's availability row last, only while they are still free there. Here the row is held while the
 * order waits to count its unit, and the last unit is taken meanwhile: the order must not keep its
 * plan, but run again and find nothing free.
 */
@QuarkusTest
class UnitsClaimedMeanwhileTest {
  private static final Pattern STALE_READS =
      Pattern.compile("onhand_transactions_retried_total\\{cause=\"stale_read\",?} ([0-9.E]+)");

  @Test
  void anOrderWhoseUnitWasTakenWhileItPlannedIsPlannedAgainAndBackordered() throws Exception {
    OnSale one = oneUnitOnSale();
    String location = one.location();
    String sku = one.sku();
    String channel = one.channel();
    Jdbc db = Jdbc.ofApplication();
    double staleReadsBefore = staleReads();

    // the order planned the one free unit and waits for the row held here; meanwhile another
    // request counts that last unit
    Response response =
        placeWhileTheRowsAreHeld(
            db,
            channel,
            sku,
            "SELECT 1 FROM availability WHERE sku = ? FOR UPDATE",
            "UPDATE availability SET requested = requested + 1 WHERE sku = ?");
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.<String>path("status"))
        .as("planned again from what is left: nothing")
        .isEqualTo("BACKORDERED");
    assertThat(staleReads() - staleReadsBefore)
        .as("transactions run again for a stale read")
        .isEqualTo(1);
    assertThat(
            db.scalar(
                "SELECT count(*) FROM allocation a JOIN customer_order o ON o.id = a.order_id"
                    + " JOIN order_line l ON l.order_id = o.id WHERE l.sku = ?",
                sku))
        .as("no allocation of the first plan was kept")
        .isZero();
    assertThat(
            db.scalar(
                "SELECT requested FROM availability WHERE sku = ? AND location = ?", sku, location))
        .as("only the unit taken meanwhile is counted")
        .isEqualTo(1);
    assertThat(StockService.quantity(sku, location, "available")).isEqualTo(1);
  }

  @Test
  void anOrderShortOfUnitsWaitsForTheRowsBeingChangedBeforeItBackorders() throws Exception {
    OnSale one = oneUnitOnSale();
    String location = one.location();
    String sku = one.sku();
    String channel = one.channel();
    Jdbc db = Jdbc.ofApplication();
    // fulfillment's view is behind: it shows none, and a stock event raising it is being applied
    db.execute("UPDATE availability SET available = 0 WHERE sku = ?", sku);
    double staleReadsBefore = staleReads();

    // the order read nothing free and planned a backorder; it waits for the row the event holds
    Response response =
        placeWhileTheRowsAreHeld(
            db, channel, sku, "UPDATE availability SET available = 1 WHERE sku = ?", null);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.<String>path("status"))
        .as("asked stock for the unit the event brought, not backordered past it")
        .isEqualTo("RECEIVED");
    assertThat(staleReads() - staleReadsBefore)
        .as("transactions run again for a stale read")
        .isEqualTo(1);
    Orders.awaitStatus(response.path("id"), "ALLOCATED");
    StockService.awaitQuantity(sku, location, "committed", 1);
  }

  /** A SKU with one unit available at a location, sold by a channel, as fulfillment sees it. */
  private record OnSale(String location, String sku, String channel) {}

  private static OnSale oneUnitOnSale() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 1);
    awaitAvailable(sku, location, 1);
    return new OnSale(location, sku, Orders.channel(true, location));
  }

  /**
   * Places an order for one unit of the SKU while another transaction holds its availability rows
   * ({@code hold}); once the order waits for them, runs {@code meanwhile} (if any) and commits.
   */
  private static Response placeWhileTheRowsAreHeld(
      Jdbc db, String channel, String sku, String hold, String meanwhile) throws Exception {
    CompletableFuture<Response> placed;
    try (Connection other = db.connect()) {
      other.setAutoCommit(false);
      execute(other, hold, sku);
      placed =
          CompletableFuture.supplyAsync(
              () -> json().body(order(channel, sku, 1)).post("/api/v1/orders"));
      awaitOrderWaitingForTheRows(db);
      if (meanwhile != null) {
        execute(other, meanwhile, sku);
      }
      other.commit();
    }
    return placed.get();
  }

  private static void execute(Connection connection, String sql, String sku) throws Exception {
    try (var statement = connection.prepareStatement(sql)) {
      statement.setString(1, sku);
      statement.execute();
    }
  }

  private static void awaitOrderWaitingForTheRows(Jdbc db) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                db.scalar(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            + " AND query LIKE 'SELECT a.sku, a.location%FOR UPDATE OF a'")
                    > 0);
  }

  private static double staleReads() {
    String metrics = json().accept("text/plain").get("/q/metrics").then().extract().asString();
    Matcher m = STALE_READS.matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
