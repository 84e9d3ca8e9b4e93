package dev.onhand.e2e;

import static dev.onhand.e2e.Suite.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onhand.channelsync.stub.AmazonStub;
import dev.onhand.channelsync.stub.ShopifyStub;
import dev.onhand.channelsync.support.WebhookReceiver;
import dev.onhand.platform.testing.Concurrently;
import dev.onhand.platform.testing.Jdbc;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A day of operations through the gateway, against the suite as {@code make run} starts it: a
 * purchase order received with damage and an unexpected SKU, orders racing for the last units,
 * shipments, a cancellation, a short pick, a return in mixed conditions and a transfer that loses a
 * unit. Afterwards: every balance equals its ledger, nothing is negative, nothing was oversold,
 * fulfillment and stock agree on what is reserved, and the exception register holds exactly the
 * exceptions the day caused.
 */
@ExtendWith(Suite.class)
class DayOfOperationsTest {
  private static final Duration SETTLE = Duration.ofSeconds(30);

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String whA = "E2E-A-" + run;
  private final String whB = "E2E-B-" + run;
  private final String mug = "E2E-MUG-" + run;
  private final String lamp = "E2E-LAMP-" + run;
  private final String rug = "E2E-RUG-" + run;
  private final String vase = "E2E-VASE-" + run;
  private final String shop = "E2E-SHOP-" + run;
  private final String web = "E2E-WEB-" + run;
  private final ShopifyStub shopify = new ShopifyStub().start();
  private final AmazonStub amazon = new AmazonStub().start();
  private final String fba = "E2E-FBA-" + run;
  private final String fbaChannel = "E2E-FBA-CH-" + run;
  private final WebhookReceiver webhookChannel = WebhookReceiver.get();

  /** Message types the day cannot cause, and why; every other declared type must be seen. */
  private static final Map<String, String> NOT_CAUSED = Map.of();

  @Test
  void aDayOfOperationsLeavesEveryNumberTrue() throws Exception {
    try (Wire wire = new Wire(Suite.ROOT.resolve("contracts/asyncapi.yaml"), Suite.SERVICES)) {
      day();
      Map<String, Integer> seen = wire.assertHeldToContract(NOT_CAUSED);
      System.out.println("e2e: messages seen by type " + seen);
    }
  }

  private void day() throws Exception {
    OffsetDateTime dayStart = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(5);
    location(whA);
    location(whB);
    api()
        .body(Map.of("name", "Amazon FBA " + run, "type", "MARKETPLACE", "authoritative", true))
        .put("/api/v1/locations/{code}", fba)
        .then()
        .statusCode(201);
    item(mug, 4);
    item(lamp, 10);
    item(rug, 2);
    channels();

    // --- receiving: a PO at A, received with damage and an unexpected SKU, then closed
    String po =
        awaitAccepted(
                () ->
                    api()
                        .body(
                            Map.of(
                                "number",
                                "PO-" + run,
                                "supplier",
                                "Acme",
                                "location",
                                whA,
                                "lines",
                                List.of(
                                    Map.of("sku", mug, "quantity", 100),
                                    Map.of("sku", lamp, "quantity", 40))))
                        .post("/api/v1/purchase-orders"),
                201)
            .path("id");
    api()
        .body(
            Map.of(
                "lines",
                List.of(
                    Map.of("sku", mug, "good", 95, "damaged", 5),
                    Map.of("sku", lamp, "good", 40),
                    Map.of("sku", rug, "good", 6))))
        .post("/api/v1/purchase-orders/{id}/receipts", po)
        .then()
        .statusCode(201);
    api().post("/api/v1/purchase-orders/{id}/close", po).then().statusCode(200);
    awaitQuantity(mug, whA, "available", 95);
    awaitQuantity(mug, whA, "damaged", 5);
    awaitQuantity(lamp, whA, "available", 40);
    awaitQuantity(rug, whA, "available", 6);
    assertThat(quantity(mug, whA, "incoming")).isZero();

    // --- fulfillment: 50 orders race for the 40 lamps; and one order of 3 mugs
    List<String> lampOrders = Concurrently.run(50, i -> () -> order("race-" + i, Map.of(lamp, 1)));
    String mugOrder = order("mugs", Map.of(mug, 3));
    Map<String, String> status = awaitSettled(lampOrders);
    assertThat(count(status, "ALLOCATED")).isEqualTo(40);
    assertThat(count(status, "BACKORDERED")).isEqualTo(10);
    awaitSettled(List.of(mugOrder));
    awaitQuantity(lamp, whA, "committed", 40);
    assertThat(quantity(lamp, whA, "available")).isZero();

    // shipments: the mugs, and 20 of the lamp orders
    ship(mugOrder, whA, mug, 3);
    List<String> allocated =
        lampOrders.stream().filter(o -> "ALLOCATED".equals(status.get(o))).toList();
    for (String order : allocated.subList(0, 20)) {
      ship(order, whA, lamp, 1);
    }
    // a cancellation: its lamp goes to the oldest backorder
    String cancelled = allocated.get(20);
    api()
        .body(Map.of("reason", "customer changed their mind"))
        .post("/api/v1/orders/{id}/cancel", cancelled)
        .then()
        .statusCode(200);
    awaitStatus(cancelled, "CANCELLED");
    // the released lamp went to the oldest backorder: 9 remain, 40 − 20 shipped are committed
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(lampOrders.stream().filter(o -> "BACKORDERED".equals(orderStatus(o))))
                    .hasSize(9));
    awaitQuantity(lamp, whA, "committed", 20);
    assertThat(quantity(lamp, whA, "available")).isZero();
    // a short pick: the lamp is not on the shelf; it is lost and the line backordered again
    String shortPicked = allocated.get(21);
    api()
        .body(Map.of("type", "SHORT_PICK", "location", whA, "sku", lamp, "quantity", 1))
        .post("/api/v1/orders/{id}/pick-exceptions", shortPicked)
        .then()
        .statusCode(201);
    awaitStatus(shortPicked, "BACKORDERED");

    // --- a cycle count of the mugs at A starts; returns, a transfer and a mispick move mugs
    // while it runs, and the counter's number reflects them: no variance
    String mugCount = startCount(whA, mug);

    // --- returns: the mugs come back, one sellable, one damaged, one missing
    String rma =
        awaitAccepted(
                () ->
                    api()
                        .body(
                            Map.of(
                                "orderId",
                                mugOrder,
                                "lines",
                                List.of(Map.of("sku", mug, "quantity", 3, "reason", "unwanted"))))
                        .post("/api/v1/returns"),
                201)
            .path("id");
    api()
        .body(
            Map.of(
                "location",
                whA,
                "lines",
                List.of(
                    Map.of("sku", mug, "quantity", 1, "condition", "SELLABLE"),
                    Map.of("sku", mug, "quantity", 1, "condition", "DAMAGED"),
                    Map.of("sku", mug, "quantity", 1, "condition", "MISSING"))))
        .post("/api/v1/returns/{id}/receipts", rma)
        .then()
        .statusCode(201);
    awaitQuantity(mug, whA, "damaged", 6);

    // --- a transfer of 10 mugs from A to B: 8 arrive, 1 damaged, 1 never
    String transfer =
        api()
            .body(
                Map.of(
                    "source", whA,
                    "destination", whB,
                    "lines", List.of(Map.of("sku", mug, "quantity", 10))))
            .post("/api/v1/transfers")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    api().post("/api/v1/transfers/{id}/ship", transfer).then().statusCode(200);
    assertThat(quantity(mug, whB, "incoming")).isEqualTo(10);
    api()
        .body(Map.of("lines", List.of(Map.of("sku", mug, "good", 8, "damaged", 1))))
        .post("/api/v1/transfers/{id}/receive", transfer)
        .then()
        .statusCode(200);

    // --- a mispick: a rug left instead of the ordered mug; the mug goes back to available
    String mispicked = order("mispicked", Map.of(mug, 1));
    awaitSettled(List.of(mispicked));
    api()
        .body(
            Map.of(
                "type", "MISPICK", "location", whA, "sku", mug, "quantity", 1, "shippedSku", rug))
        .post("/api/v1/orders/{id}/pick-exceptions", mispicked)
        .then()
        .statusCode(201);
    awaitQuantity(rug, whA, "available", 5);

    // --- a manual hold on 2 rugs that nobody extends: it expires and the rugs are sellable again
    api()
        .body(
            Map.of(
                "reference",
                "hold:" + run,
                "expiresInSeconds",
                1,
                "lines",
                List.of(Map.of("sku", rug, "location", whA, "quantity", 2))))
        .post("/api/v1/reservations")
        .then()
        .statusCode(201);
    awaitQuantity(rug, whA, "committed", 0);
    assertThat(quantity(rug, whA, "available")).isEqualTo(5);

    // --- stock refuses fulfillment: a clerk holds the only vase at the stock API just before an
    // order for it arrives; fulfillment, not yet told, asks stock for it and is refused
    // (stock.reservation.rejected); the order waits as a backorder until the hold is lifted
    int vasesSold = sellTheVaseStockHolds();
    awaitQuantity(vase, whA, "committed", vasesSold);
    assertThat(quantity(vase, whA, "available")).isZero();

    // the count's results: what is on the shelf now, moved units included
    api()
        .body(Map.of("lines", List.of(Map.of("sku", mug, "counted", onHand(mug, whA)))))
        .post("/api/v1/counts/{id}/results", mugCount)
        .then()
        .statusCode(200)
        .body("status", org.hamcrest.Matchers.is("COMPLETED"))
        .body("lines[0].variance", org.hamcrest.Matchers.is(0));
    // a count of the rugs finds one missing: beyond tolerance, it waits for approval
    String rugCount = startCount(whA, rug);
    api()
        .body(Map.of("lines", List.of(Map.of("sku", rug, "counted", onHand(rug, whA) - 1))))
        .post("/api/v1/counts/{id}/results", rugCount)
        .then()
        .statusCode(200)
        .body("status", org.hamcrest.Matchers.is("AWAITING_APPROVAL"));
    assertThat(quantity(rug, whA, "available")).isEqualTo(5);
    api()
        .body(Map.of("note", "confirmed by a second count"))
        .post("/api/v1/counts/{id}/approve", rugCount)
        .then()
        .statusCode(200);
    assertThat(quantity(rug, whA, "available")).isEqualTo(4);

    // --- Shopify sends an order for 2 mugs three times (one order), and an order for a lamp that
    // it then cancels; both reach fulfillment through channel-sync
    long mugsCommitted = quantity(mug, whA, "committed");
    for (int i = 0; i < 3; i++) {
      shopifyWebhook("orders/create", "delivery-1-" + run, shopifyOrder(7001, mug, 2));
    }
    shopifyWebhook("orders/create", "delivery-2-" + run, shopifyOrder(7002, lamp, 1));
    shopifyWebhook("orders/cancelled", "delivery-3-" + run, shopifyOrder(7002, lamp, 1));
    awaitQuantity(mug, whA, "committed", mugsCommitted + 2);

    // --- a mispick of a lamp stock believes is not there: stock refuses the correction
    // (stock.request.rejected); the mug goes back to available
    String misshipped = order("misshipped", Map.of(mug, 1));
    awaitSettled(List.of(misshipped));
    api()
        .body(
            Map.of(
                "type", "MISPICK", "location", whA, "sku", mug, "quantity", 1, "shippedSku", lamp))
        .post("/api/v1/orders/{id}/pick-exceptions", misshipped)
        .then()
        .statusCode(201);

    // --- reconciliation: Shopify shows 999 mugs behind channel-sync's back, and Amazon's own
    // warehouse (FBA, authoritative) counts 7 mugs stock never heard of
    // (once nothing is waiting to be pushed: a push in flight is not drift)
    awaitNothingPending(shop);
    shopify.listing(listingOf(mug), 999);
    amazon.listing(mug, 7);
    reconcile(shop);
    reconcile(fbaChannel);
    awaitQuantity(mug, fba, "available", 7);

    // --- the numbers at the end of the day
    // mugs at A: 95 received, 3 shipped, 1 restocked from the return, 10 sent to B
    awaitQuantity(mug, whA, "available", 95 - 3 + 1 - 10 - 2);
    assertThat(quantity(mug, whA, "damaged")).isEqualTo(5 + 1);
    assertThat(quantity(mug, whB, "available")).isEqualTo(8);
    assertThat(quantity(mug, whB, "damaged")).isEqualTo(1);
    assertThat(quantity(mug, whB, "incoming")).isZero();
    // lamps: 40 received, 20 shipped, 1 lost; the rest reserved for orders, none oversold
    awaitQuantity(lamp, whA, "committed", 40 - 20 - 1);
    assertThat(quantity(lamp, whA, "available")).isZero();
    assertThat(reservedByOrders(lampOrders, lamp)).isEqualTo(quantity(lamp, whA, "committed"));
    assertThat(shippedByOrders(lampOrders, lamp)).isEqualTo(20);

    Jdbc stock = Jdbc.local(Suite.database("stock"));
    String ours = "sku IN ('" + mug + "', '" + lamp + "', '" + rug + "', '" + vase + "')";
    assertThat(
            stock.scalar(
                "SELECT count(*) FROM balance WHERE "
                    + ours
                    + " AND least(available, committed, reserved, safety_stock, quality_control,"
                    + " damaged, incoming) < 0"))
        .as("negative buckets")
        .isZero();
    assertThat(
            stock.scalar(
                "SELECT count(*) FROM balance b CROSS JOIN LATERAL (SELECT"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'available'), 0) AS available,"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'committed'), 0) AS committed,"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'reserved'), 0) AS reserved,"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'safetyStock'), 0) AS safety,"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'qualityControl'), 0) AS qc,"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'damaged'), 0) AS damaged,"
                    + " coalesce(sum(delta) FILTER (WHERE state = 'incoming'), 0) AS incoming"
                    + " FROM ledger l WHERE l.sku = b.sku AND l.location = b.location) s WHERE "
                    + ours.replace("sku", "b.sku")
                    + " AND (b.available, b.committed, b.reserved, b.safety_stock,"
                    + " b.quality_control, b.damaged, b.incoming) IS DISTINCT FROM (s.available,"
                    + " s.committed, s.reserved, s.safety, s.qc, s.damaged, s.incoming)"))
        .as("balances that differ from their ledger")
        .isZero();

    // the register holds exactly what the day caused, once each
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(exceptionsOfTheDay())
                    .containsExactlyInAnyOrder(
                        "receiving UNEXPECTED_SKU " + rug,
                        "fulfillment SHORT_PICK " + lamp,
                        "fulfillment MISPICK " + mug,
                        "returns MISSING_RETURN " + mug,
                        "fulfillment MISPICK " + mug,
                        "stock TRANSFER_LOSS " + mug,
                        // Shopify's drift, and FBA's count stock mirrored (from channel-sync's
                        // snapshot)
                        "channel-sync CHANNEL_DRIFT " + mug,
                        "channel-sync CHANNEL_DRIFT " + mug));

    // every channel shows what its rules make of the final balances
    long mugsAtA = quantity(mug, whA, "available");
    long mugsAtB = quantity(mug, whB, "available");
    long lampsAtA = quantity(lamp, whA, "available");
    awaitChannel("shopify mug", () -> shopify.quantity(listingOf(mug)), Math.max(0, mugsAtA - 2));
    awaitChannel(
        "shopify lamp", () -> shopify.quantity(listingOf(lamp)), Math.max(0, lampsAtA - 2));
    awaitChannel("webhook mug", () -> lastPushed(web, mug), (mugsAtA + mugsAtB) / 2);
    awaitChannel("webhook lamp", () -> lastPushed(web, lamp), lampsAtA / 2);

    // metrics from the ledger: lamps shipped and received at A today
    api()
        .queryParam("sku", lamp)
        .queryParam("location", whA)
        .queryParam("from", dayStart.toString())
        .queryParam("to", OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1).toString())
        .get("/api/v1/metrics/inventory")
        .then()
        .statusCode(200)
        .body("unitsShipped", org.hamcrest.Matchers.is(20))
        .body("unitsReceived", org.hamcrest.Matchers.is(40))
        // the 40 lamps reserved were first asked of A and filled there; a late order counts at A
        // only if fulfillment, not yet told of the reservations before it, asked A and was refused
        .body("orderLinesFilled", org.hamcrest.Matchers.is(40))
        .body(
            "orderLines",
            org.hamcrest.Matchers.both(org.hamcrest.Matchers.greaterThanOrEqualTo(40))
                .and(org.hamcrest.Matchers.lessThanOrEqualTo(50)));
    // over every location: 40 of the 51 lamp order lines (the 50 racing orders and Shopify's,
    // backordered before its cancellation) filled at first allocation
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                api()
                    .queryParam("sku", lamp)
                    .queryParam("from", dayStart.toString())
                    .queryParam("to", OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1).toString())
                    .get("/api/v1/metrics/inventory")
                    .then()
                    .statusCode(200)
                    .body("orderLines", org.hamcrest.Matchers.is(51))
                    .body("orderLinesFilled", org.hamcrest.Matchers.is(40))
                    .body("fillRate", org.hamcrest.Matchers.is(0.7843f)));
  }

  /**
   * Holds the only vase at stock's API and orders one at the same moment: fulfillment has not yet
   * heard of the hold, so it asks stock for the vase and stock refuses. Whether fulfillment heard
   * first is a race, so the pair is tried again (a new vase each time) until stock refused one; the
   * refused order must end allocated once the hold is released, as every other attempt's order.
   * Returns the vases sold.
   */
  private int sellTheVaseStockHolds() throws InterruptedException {
    item(vase, 30);
    for (int n = 1; n <= 10; n++) {
      int attempt = n;
      api()
          .header("Idempotency-Key", "vase-" + run + "-" + attempt)
          .body(
              Map.of(
                  "reason",
                  "found",
                  "reference",
                  "vase:" + run + ":" + attempt,
                  "lines",
                  List.of(Map.of("sku", vase, "location", whA, "state", "available", "delta", 1))))
          .post("/api/v1/inventory/adjustments")
          .then()
          .statusCode(201);
      awaitQuantity(vase, whA, "available", 1);
      // fulfillment hears of the vase from stock's event a moment after stock shows it
      Thread.sleep(500);
      // the clerk's hold and the order leave together: stock takes the hold first (fulfillment's
      // request goes through its outbox and the broker), fulfillment decides before stock's news
      // of the hold has reached it, or not
      CompletableFuture<Response> hold =
          CompletableFuture.supplyAsync(
              () ->
                  api()
                      .body(
                          Map.of(
                              "reference",
                              "clerk:" + run + ":" + attempt,
                              "lines",
                              List.of(Map.of("sku", vase, "location", whA, "quantity", 1))))
                      .post("/api/v1/reservations"));
      // (straight away: order() waits its first poll interval before trying)
      String order =
          placeOrder("vase-" + attempt, Map.of(vase, 1))
              .then()
              .statusCode(202)
              .extract()
              .path("id");
      Response held = hold.join();
      assertThat(held.statusCode()).as("the clerk's hold").isIn(201, 409);
      awaitSettled(List.of(order));
      List<String> allocations =
          api().get("/api/v1/orders/{id}", order).then().extract().path("allocations.status");
      if (held.statusCode() == 201) {
        api()
            .body(Map.of())
            .post("/api/v1/reservations/{id}/release", held.path("id").toString())
            .then()
            .statusCode(200);
      }
      awaitStatus(order, "ALLOCATED");
      if (allocations.contains("REJECTED")) {
        System.out.println("e2e: stock refused fulfillment the held vase at attempt " + attempt);
        return attempt;
      }
    }
    throw new AssertionError("stock never refused fulfillment a vase it held in 10 attempts");
  }

  private static void location(String code) {
    api()
        .body(Map.of("name", "Warehouse " + code, "type", "WAREHOUSE"))
        .put("/api/v1/locations/{code}", code)
        .then()
        .statusCode(201);
  }

  private static void item(String sku, int unitCost) {
    api()
        .body(Map.of("name", "Item " + sku, "unitCost", unitCost, "lowStockThreshold", 2))
        .put("/api/v1/items/{sku}", sku)
        .then()
        .statusCode(201);
  }

  /**
   * Services learn locations and items from stock's events, a moment after they are created: a
   * request naming them is retried until it is accepted.
   */
  private static Response awaitAccepted(java.util.function.Supplier<Response> request, int status) {
    Response[] last = new Response[1];
    await()
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last[0] = request.get();
              return last[0].statusCode() == status;
            });
    return last[0];
  }

  /** Places the order, retried until fulfillment knows its SKUs and accepts it; its id. */
  private String order(String id, Map<String, Integer> lines) {
    return awaitAccepted(() -> placeOrder(id, lines), 202).path("id");
  }

  private Response placeOrder(String id, Map<String, Integer> lines) {
    List<Map<String, Object>> body = new ArrayList<>();
    lines.forEach((sku, quantity) -> body.add(Map.of("sku", sku, "quantity", quantity)));
    return api()
        .header("Idempotency-Key", "order-" + run + "-" + id)
        .body(Map.of("channel", "web", "channelOrderId", run + "-" + id, "lines", body))
        .post("/api/v1/orders");
  }

  private static void awaitStatus(String order, String status) {
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(orderStatus(order)).as("order " + order).isEqualTo(status));
  }

  private static String orderStatus(String id) {
    return api().get("/api/v1/orders/{id}", id).then().statusCode(200).extract().path("status");
  }

  /** Waits until no order is still waiting for stock's answer; returns each one's status. */
  private static Map<String, String> awaitSettled(List<String> orders) {
    Map<String, String> status = new HashMap<>();
    await()
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              for (String order : orders) {
                status.put(order, orderStatus(order));
              }
              return status.values().stream().noneMatch("RECEIVED"::equals);
            });
    return status;
  }

  private static long count(Map<String, String> status, String value) {
    return status.values().stream().filter(value::equals).count();
  }

  private static void ship(String order, String location, String sku, int quantity) {
    api()
        .body(
            Map.of(
                "location",
                location,
                "carrier",
                "UPS",
                "lines",
                List.of(Map.of("sku", sku, "quantity", quantity))))
        .post("/api/v1/orders/{id}/shipments", order)
        .then()
        .statusCode(201);
  }

  private static long reservedByOrders(List<String> orders, String sku) {
    return sumOfLines(orders, sku, "allocated");
  }

  private static long shippedByOrders(List<String> orders, String sku) {
    return sumOfLines(orders, sku, "shipped");
  }

  private static long sumOfLines(List<String> orders, String sku, String field) {
    long sum = 0;
    for (String order : orders) {
      List<Map<String, Object>> lines =
          api().get("/api/v1/orders/{id}", order).then().extract().path("lines");
      for (Map<String, Object> line : lines) {
        if (sku.equals(line.get("sku"))) {
          sum += ((Number) line.get(field)).longValue();
        }
      }
    }
    return sum;
  }

  /**
   * Two channels: Shopify selling from A with a buffer of 2, a webhook channel selling half of A
   * and B.
   */
  private void channels() {
    Map<String, Object> shopChannel = new HashMap<>();
    shopChannel.put("type", "SHOPIFY");
    shopChannel.put("endpoint", shopify.url().toString());
    shopChannel.put("settings", shopify.settings());
    shopChannel.put(
        "credentials",
        Map.of(
            "accessToken", "env:ONHAND_CHANNEL_E2E_SHOPIFY_TOKEN",
            "webhookSecret", "env:ONHAND_CHANNEL_E2E_SHOPIFY_HOOKS"));
    shopChannel.put("eligibleLocations", List.of(whA));
    shopChannel.put("bufferUnits", 2);
    awaitAccepted(() -> api().body(shopChannel).put("/api/v1/channels/{code}", shop), 201);
    Map<String, Object> webChannel = new HashMap<>();
    webChannel.put("type", "GENERIC_WEBHOOK");
    webChannel.put("endpoint", webhookChannel.url(web));
    webChannel.put("credentials", Map.of("secret", "env:ONHAND_CHANNEL_E2E_WEBHOOK_SECRET"));
    webChannel.put("eligibleLocations", List.of(whA, whB));
    webChannel.put("allocationPercent", 50);
    awaitAccepted(() -> api().body(webChannel).put("/api/v1/channels/{code}", web), 201);
    Map<String, Object> fbaSettings = new HashMap<>(amazon.settings());
    fbaSettings.put("fulfilledBy", "AMAZON");
    Map<String, Object> amazonChannel = new HashMap<>();
    amazonChannel.put("type", "AMAZON");
    amazonChannel.put("endpoint", amazon.url().toString());
    amazonChannel.put("settings", fbaSettings);
    amazonChannel.put("credentials", Map.of("accessToken", "env:ONHAND_CHANNEL_E2E_SHOPIFY_TOKEN"));
    amazonChannel.put("eligibleLocations", List.of(fba));
    awaitAccepted(() -> api().body(amazonChannel).put("/api/v1/channels/{code}", fbaChannel), 201);
    awaitAccepted(
        () ->
            api()
                .body(Map.of("listingId", mug))
                .put("/api/v1/channels/{code}/listings/{sku}", fbaChannel, mug),
        201);
    for (String sku : List.of(mug, lamp)) {
      shopify.listing(listingOf(sku), 0);
      awaitAccepted(
          () ->
              api()
                  .body(Map.of("listingId", listingOf(sku)))
                  .put("/api/v1/channels/{code}/listings/{sku}", shop, sku),
          201);
      awaitAccepted(
          () ->
              api()
                  .body(Map.of("listingId", "WEB-" + sku))
                  .put("/api/v1/channels/{code}/listings/{sku}", web, sku),
          201);
    }
  }

  private static void awaitNothingPending(String channel) {
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                api()
                    .get("/api/v1/channels/{code}/status", channel)
                    .then()
                    .statusCode(200)
                    .body("pending", org.hamcrest.Matchers.is(0)));
  }

  /** Runs a reconciliation of a channel and waits for its report. */
  private static void reconcile(String channel) {
    String id =
        api()
            .body(Map.of())
            .post("/api/v1/channels/{code}/reconciliations", channel)
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                api()
                    .get("/api/v1/channels/{code}/reconciliations/{id}", channel, id)
                    .then()
                    .statusCode(200)
                    .body("status", org.hamcrest.Matchers.is("COMPLETED")));
  }

  private String listingOf(String sku) {
    return "gid://shopify/InventoryItem/" + Math.abs((sku).hashCode());
  }

  private Long lastPushed(String channel, String sku) {
    List<WebhookReceiver.Received> applied = webhookChannel.applied(channel);
    Long last = null;
    long version = -1;
    for (WebhookReceiver.Received r : applied) {
      if (sku.equals(r.body().path("sku").asText()) && r.version() > version) {
        version = r.version();
        last = r.quantity();
      }
    }
    return last;
  }

  private static void awaitChannel(
      String what, java.util.concurrent.Callable<Long> shown, long expected) {
    await()
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(() -> assertThat(shown.call()).as(what).isEqualTo(expected));
  }

  private static Map<String, Object> shopifyOrder(long id, String sku, int quantity) {
    return Map.of(
        "id",
        id,
        "line_items",
        List.of(Map.of("sku", sku, "quantity", quantity)),
        "shipping_address",
        Map.of("city", "Lyon", "country_code", "FR"));
  }

  /** A Shopify webhook through the gateway, signed as Shopify signs it. */
  private void shopifyWebhook(String topic, String deliveryId, Map<String, Object> order)
      throws Exception {
    Map<String, Object> body = new HashMap<>(order);
    body.put(
        "id",
        Long.parseLong(run.replaceAll("[^0-9]", "1").substring(0, 6)) * 10000
            + (Long) order.get("id"));
    byte[] raw = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(body);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            Suite.CHANNEL_CREDENTIALS
                .get("ONHAND_CHANNEL_E2E_SHOPIFY_HOOKS")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "HmacSHA256"));
    String signature = java.util.Base64.getEncoder().encodeToString(mac.doFinal(raw));
    io.restassured.RestAssured.given()
        .baseUri(Suite.GATEWAY)
        .contentType("application/json")
        .header("X-Shopify-Hmac-Sha256", signature)
        .header("X-Shopify-Topic", topic)
        .header("X-Shopify-Webhook-Id", deliveryId)
        .header("X-Shopify-Triggered-At", OffsetDateTime.now(ZoneOffset.UTC).toString())
        .body(raw)
        .post("/webhooks/shopify/{channel}", shop)
        .then()
        .statusCode(200);
  }

  private static String startCount(String location, String sku) {
    return api()
        .body(Map.of("location", location, "skus", List.of(sku)))
        .post("/api/v1/counts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static long onHand(String sku, String location) {
    return quantity(sku, location, "onHand");
  }

  private static long quantity(String sku, String location, String state) {
    List<Map<String, Object>> locations =
        api()
            .get("/api/v1/inventory/{sku}", sku)
            .then()
            .statusCode(200)
            .extract()
            .path("locations");
    return locations.stream()
        .filter(l -> location.equals(l.get("location")))
        .findFirst()
        .map(l -> ((Number) l.get(state)).longValue())
        .orElse(0L);
  }

  private static void awaitQuantity(String sku, String location, String state, long expected) {
    await()
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(quantity(sku, location, state))
                    .as(sku + " " + state)
                    .isEqualTo(expected));
  }

  /** "source KIND sku" of every register entry about this run's SKUs. */
  private List<String> exceptionsOfTheDay() {
    List<String> found = new ArrayList<>();
    String after = null;
    do {
      var page = api().queryParam("limit", 200);
      if (after != null) {
        page = page.queryParam("after", after);
      }
      var body = page.get("/api/v1/exceptions").then().statusCode(200).extract();
      List<Map<String, Object>> items = body.path("items");
      for (Map<String, Object> e : items) {
        Object sku = e.get("sku");
        if (sku != null && sku.toString().endsWith(run)) {
          found.add(
              e.get("source").toString().replace("onhand/", "") + " " + e.get("kind") + " " + sku);
        }
      }
      after = body.path("next");
    } while (after != null);
    return found.stream().sorted().collect(Collectors.toList());
  }
}
