package dev.onhand.receiving.purchaseorder;

import static dev.onhand.platform.testing.StockService.awaitQuantity;
import static dev.onhand.receiving.support.Receiving.json;
import static dev.onhand.receiving.support.Receiving.line;
import static dev.onhand.receiving.support.Receiving.order;
import static dev.onhand.receiving.support.Receiving.receipt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.onhand.platform.testing.Concurrently;
import dev.onhand.platform.testing.StockService;
import dev.onhand.receiving.support.Receiving;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Receipts and a close racing on one purchase order: each is applied whole and in turn, so the PO
 * and stock agree on every unit however the race falls.
 */
@QuarkusTest
class ConcurrentReceiptsTest {

  @Test
  void concurrentReceiptsAreEachCountedOnceAndSettleIncomingExactly() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    String po = Receiving.create(order(StockService.unique("PO"), location, sku, 20));

    List<Integer> statuses =
        Concurrently.run(
            20,
            i ->
                () ->
                    json()
                        .body(receipt(line(sku, 1, 0)))
                        .post("/api/v1/purchase-orders/{id}/receipts", po)
                        .statusCode());
    assertThat(statuses).containsOnly(201);

    json()
        .get("/api/v1/purchase-orders/{id}", po)
        .then()
        .body("status", equalTo("RECEIVED"))
        .body("receipts.size()", equalTo(20))
        .body("lines[0].receivedGood", equalTo(20))
        .body("exceptions.size()", equalTo(0));
    awaitQuantity(sku, location, "available", 20);
    assertThat(StockService.quantity(sku, location, "incoming")).isZero();
    StockService.assertLedgerMatchesBalances(sku);
  }

  @Test
  void receiptsRacingACloseAreEitherCountedOrRefusedAndIncomingEndsAtZero() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    String po = Receiving.create(order(StockService.unique("PO"), location, sku, 30));

    List<Integer> statuses =
        Concurrently.run(
            16,
            i ->
                () ->
                    i == 8
                        ? json().post("/api/v1/purchase-orders/{id}/close", po).statusCode()
                        : json()
                            .body(receipt(line(sku, 1, 0)))
                            .post("/api/v1/purchase-orders/{id}/receipts", po)
                            .statusCode());
    assertThat(statuses.get(8)).isEqualTo(200);
    long accepted = statuses.stream().filter(s -> s == 201).count();
    long refused = statuses.stream().filter(s -> s == 409).count();
    assertThat(accepted + refused).as("every receipt answered 201 or 409").isEqualTo(15);

    json()
        .get("/api/v1/purchase-orders/{id}", po)
        .then()
        .body("status", equalTo("CLOSED"))
        .body("receipts.size()", equalTo((int) accepted))
        .body("lines[0].receivedGood", equalTo((int) accepted));
    awaitQuantity(sku, location, "available", accepted);
    awaitQuantity(sku, location, "incoming", 0);
    StockService.assertLedgerMatchesBalances(sku);
  }
}
