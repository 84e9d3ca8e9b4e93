package dev.onhand.receiving.purchaseorder;

import static dev.onhand.platform.testing.StockService.awaitQuantity;
import static dev.onhand.receiving.support.Receiving.json;
import static dev.onhand.receiving.support.Receiving.line;
import static dev.onhand.receiving.support.Receiving.order;
import static dev.onhand.receiving.support.Receiving.receipt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.StockService;
import dev.onhand.receiving.support.Receiving;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Over and short deliveries beyond the tolerance and SKUs nobody ordered raise exceptions for
 * stock's register; differences within the tolerance pass silently.
 */
@QuarkusTest
class DiscrepancyTest {

  @Test
  void overDeliveryBeyondToleranceAndAnUnexpectedSkuRaiseExceptions() throws Exception {
    String location = StockService.location();
    String ordered = StockService.item();
    String stray = StockService.item();
    String number = StockService.unique("PO");
    Map<String, Object> body = new java.util.HashMap<>(order(number, location, ordered, 100));
    body.put("tolerancePercent", 5);
    String po = Receiving.create(body);
    awaitQuantity(ordered, location, "incoming", 100);

    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.receiving", "receiving.exception.raised")) {
      json()
          .body(receipt(line(ordered, 104, 2), line(stray, 3, 0)))
          .post("/api/v1/purchase-orders/{id}/receipts", po)
          .then()
          .statusCode(201)
          .body("status", equalTo("RECEIVED"))
          .body("exceptions.size()", equalTo(2));

      List<Broker.Received> raised =
          List.of(
              tap.await(
                  r -> r.data().path("reference").asText().equals("po:" + number),
                  Duration.ofSeconds(10)),
              tap.await(
                  r -> r.data().path("reference").asText().equals("po:" + number),
                  Duration.ofSeconds(10)));
      JsonNode over = find(raised, "OVER_RECEIPT");
      assertThat(over.path("sku").asText()).isEqualTo(ordered);
      assertThat(over.path("location").asText()).isEqualTo(location);
      assertThat(over.path("expected").asLong()).isEqualTo(100);
      assertThat(over.path("actual").asLong()).isEqualTo(106);
      JsonNode unexpected = find(raised, "UNEXPECTED_SKU");
      assertThat(unexpected.path("sku").asText()).isEqualTo(stray);
      assertThat(unexpected.path("actual").asLong()).isEqualTo(3);
      assertThat(tap.drain(Duration.ofMillis(300))).as("no further exception").isEmpty();
    }

    // over-delivered and unexpected units are received all the same: they are physically there
    awaitQuantity(ordered, location, "available", 104);
    assertThat(StockService.quantity(ordered, location, "damaged")).isEqualTo(2);
    assertThat(StockService.quantity(ordered, location, "incoming")).isZero();
    awaitQuantity(stray, location, "available", 3);
    assertThat(StockService.quantity(stray, location, "incoming")).isZero();
    StockService.assertLedgerMatchesBalances(ordered);
    StockService.assertLedgerMatchesBalances(stray);
  }

  @Test
  void differencesWithinToleranceAreAcceptedSilentlyAndShortBeyondItIsRaisedAtClose()
      throws Exception {
    String location = StockService.location();
    String over = StockService.item();
    String shortWithin = StockService.item();
    String shortBeyond = StockService.item();
    String number = StockService.unique("PO");
    Map<String, Object> body =
        new java.util.HashMap<>(
            order(number, location, over, 100, shortWithin, 100, shortBeyond, 100));
    body.put("tolerancePercent", 5);
    String po = Receiving.create(body);

    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.receiving", "receiving.exception.raised")) {
      // 105 of 100 and 95 of 100 are within 5 %
      json()
          .body(receipt(line(over, 105, 0), line(shortWithin, 95, 0), line(shortBeyond, 94, 0)))
          .post("/api/v1/purchase-orders/{id}/receipts", po)
          .then()
          .statusCode(201)
          .body("exceptions.size()", equalTo(0));
      json()
          .post("/api/v1/purchase-orders/{id}/close", po)
          .then()
          .statusCode(200)
          .body("exceptions.size()", equalTo(1))
          .body("exceptions[0].kind", equalTo("SHORT_RECEIPT"))
          .body("exceptions[0].sku", equalTo(shortBeyond));

      Broker.Received raised =
          tap.await(
              r -> r.data().path("reference").asText().equals("po:" + number),
              Duration.ofSeconds(10));
      assertThat(raised.data().path("kind").asText()).isEqualTo("SHORT_RECEIPT");
      assertThat(raised.data().path("sku").asText()).isEqualTo(shortBeyond);
      assertThat(raised.data().path("expected").asLong()).isEqualTo(100);
      assertThat(raised.data().path("actual").asLong()).isEqualTo(94);
      assertThat(tap.drain(Duration.ofMillis(300)))
          .as("nothing within tolerance is raised")
          .isEmpty();
    }
    awaitQuantity(shortBeyond, location, "incoming", 0);
    assertThat(StockService.quantity(shortWithin, location, "incoming")).isZero();
    assertThat(StockService.quantity(over, location, "available")).isEqualTo(105);
  }

  private static JsonNode find(List<Broker.Received> raised, String kind) {
    return raised.stream()
        .map(Broker.Received::data)
        .filter(d -> d.path("kind").asText().equals(kind))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " raised"));
  }
}
