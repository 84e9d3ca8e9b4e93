package dev.onhand.receiving.purchaseorder;

import static dev.onhand.platform.testing.StockService.awaitQuantity;
import static dev.onhand.receiving.support.Receiving.json;
import static dev.onhand.receiving.support.Receiving.line;
import static dev.onhand.receiving.support.Receiving.order;
import static dev.onhand.receiving.support.Receiving.receipt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.onhand.platform.testing.StockService;
import dev.onhand.receiving.support.Receiving;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A PO's whole life as stock sees it: incoming, receipts with damage, close and cancel. */
@QuarkusTest
@QuarkusTestResource(StockService.class)
class ReceivingFlowTest {

  @Test
  void aPartialReceiptWithDamageMovesExactlyWhatArrived() {
    String location = StockService.location();
    String shirts = StockService.item();
    String caps = StockService.item();
    String po = Receiving.create(order(StockService.unique("PO"), location, shirts, 10, caps, 5));
    awaitQuantity(shirts, location, "incoming", 10);
    awaitQuantity(caps, location, "incoming", 5);

    String receiptId =
        json()
            .body(receipt(line(shirts, 6, 1)))
            .post("/api/v1/purchase-orders/{id}/receipts", po)
            .then()
            .statusCode(201)
            .body("status", equalTo("PARTIALLY_RECEIVED"))
            .body("lines[0].receivedGood", equalTo(6))
            .body("lines[0].receivedDamaged", equalTo(1))
            .body("lines[0].outstanding", equalTo(3))
            .body("lines[1].outstanding", equalTo(5))
            .extract()
            .path("receipts[0].id");

    awaitQuantity(shirts, location, "available", 6);
    assertThat(StockService.quantity(shirts, location, "damaged")).isEqualTo(1);
    assertThat(StockService.quantity(shirts, location, "incoming")).isEqualTo(3);
    assertThat(StockService.quantity(caps, location, "incoming")).isEqualTo(5);
    assertThat(StockService.quantity(caps, location, "available")).isZero();

    // the ledger names the receipt on every entry it caused, with the reason of each bucket
    List<Map<String, Object>> fromReceipt =
        StockService.ledger(shirts, location).stream()
            .filter(e -> String.valueOf(e.get("reference")).endsWith("/receipt:" + receiptId))
            .toList();
    assertThat(fromReceipt)
        .extracting(e -> e.get("state") + " " + e.get("delta") + " " + e.get("reason"))
        .containsExactlyInAnyOrder(
            "incoming -7 received", "available 6 received", "damaged 1 damaged");
    StockService.assertLedgerMatchesBalances(shirts);
    StockService.assertLedgerMatchesBalances(caps);

    // the rest arrives: the PO is received and nothing is incoming any more
    json()
        .body(receipt(line(shirts, 3, 0), line(caps, 5, 0)))
        .post("/api/v1/purchase-orders/{id}/receipts", po)
        .then()
        .statusCode(201)
        .body("status", equalTo("RECEIVED"))
        .body("receipts.size()", equalTo(2));
    awaitQuantity(caps, location, "available", 5);
    awaitQuantity(shirts, location, "available", 9);
    assertThat(StockService.quantity(shirts, location, "incoming")).isZero();
    assertThat(StockService.quantity(caps, location, "incoming")).isZero();
    StockService.assertLedgerMatchesBalances(shirts);
  }

  @Test
  void closingAfterAPartialReceiptLeavesOnlyWhatOtherOrdersStillExpect() {
    String location = StockService.location();
    String sku = StockService.item();
    String first = Receiving.create(order(StockService.unique("PO"), location, sku, 10));
    String second = Receiving.create(order(StockService.unique("PO"), location, sku, 4));
    awaitQuantity(sku, location, "incoming", 14);

    json()
        .body(receipt(line(sku, 6, 0)))
        .post("/api/v1/purchase-orders/{id}/receipts", first)
        .then()
        .statusCode(201);
    awaitQuantity(sku, location, "incoming", 8);

    json()
        .post("/api/v1/purchase-orders/{id}/close", first)
        .then()
        .statusCode(200)
        .body("status", equalTo("CLOSED"))
        .body("closedAt", org.hamcrest.Matchers.notNullValue());
    awaitQuantity(sku, location, "incoming", 4);
    assertThat(StockService.quantity(sku, location, "available")).isEqualTo(6);

    // the other PO is withdrawn before anything came: nothing is incoming any more
    json()
        .post("/api/v1/purchase-orders/{id}/cancel", second)
        .then()
        .statusCode(200)
        .body("status", equalTo("CANCELLED"));
    awaitQuantity(sku, location, "incoming", 0);
    assertThat(StockService.quantity(sku, location, "available")).isEqualTo(6);
    StockService.assertLedgerMatchesBalances(sku);
  }

  @Test
  void shipNoticesAreRecordedAgainstThePurchaseOrder() {
    String location = StockService.location();
    String sku = StockService.item();
    String po = Receiving.create(order(StockService.unique("PO"), location, sku, 12));
    json()
        .body(
            Map.of(
                "carrier", "UPS",
                "trackingNumber", "1Z999",
                "expectedArrival", "2026-12-02T10:00:00Z",
                "lines", List.of(Map.of("sku", sku, "quantity", 12))))
        .post("/api/v1/purchase-orders/{id}/ship-notices", po)
        .then()
        .statusCode(201)
        .body("shipNotices[0].carrier", equalTo("UPS"))
        .body("shipNotices[0].trackingNumber", equalTo("1Z999"))
        .body("shipNotices[0].lines[0].quantity", equalTo(12));
    json()
        .get("/api/v1/purchase-orders/{id}", po)
        .then()
        .statusCode(200)
        .body("shipNotices.size()", equalTo(1))
        .body("status", equalTo("OPEN"));
  }

  @Test
  void listsFilterByStatusLocationSupplierAndExpectedDateAndPageWithACursor() {
    String location = StockService.location();
    String sku = StockService.item();
    String prefix = StockService.unique("L");
    for (int i = 0; i < 3; i++) {
      Map<String, Object> body = new java.util.HashMap<>(order(prefix + "-" + i, location, sku, 1));
      body.put("supplier", i == 2 ? "Other Supply" : "Acme Supply");
      body.put("expectedDate", "2026-12-0" + (i + 1));
      Receiving.create(body);
    }
    String closed =
        json()
            .queryParam("location", location)
            .get("/api/v1/purchase-orders")
            .then()
            .statusCode(200)
            .body("items.size()", equalTo(3))
            .extract()
            .path("items[0].id");
    json().post("/api/v1/purchase-orders/{id}/close", closed).then().statusCode(200);

    json()
        .queryParam("location", location)
        .queryParam("status", "CLOSED")
        .get("/api/v1/purchase-orders")
        .then()
        .body("items.id", equalTo(List.of(closed)));
    json()
        .queryParam("location", location)
        .queryParam("supplier", "Other Supply")
        .get("/api/v1/purchase-orders")
        .then()
        .body("items.number", equalTo(List.of(prefix + "-2")));
    json()
        .queryParam("location", location)
        .queryParam("expectedBefore", "2026-12-03")
        .get("/api/v1/purchase-orders")
        .then()
        .body("items.number", equalTo(List.of(prefix + "-0", prefix + "-1")));

    String next =
        json()
            .queryParam("location", location)
            .queryParam("limit", 2)
            .get("/api/v1/purchase-orders")
            .then()
            .body("items.number", equalTo(List.of(prefix + "-0", prefix + "-1")))
            .extract()
            .path("next");
    json()
        .queryParam("location", location)
        .queryParam("limit", 2)
        .queryParam("after", next)
        .get("/api/v1/purchase-orders")
        .then()
        .body("items.number", equalTo(List.of(prefix + "-2")))
        .body("next", org.hamcrest.Matchers.nullValue());
  }
}
