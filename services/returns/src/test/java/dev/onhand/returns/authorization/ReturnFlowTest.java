package dev.onhand.returns.authorization;

import static dev.onhand.platform.testing.StockService.awaitQuantity;
import static dev.onhand.returns.support.Returns.json;
import static dev.onhand.returns.support.Returns.line;
import static dev.onhand.returns.support.Returns.receipt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.StockService;
import dev.onhand.returns.support.Returns;
import dev.onhand.returns.support.Shipments;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Returned units land in the bucket their condition calls for, and inspection moves them on. */
@QuarkusTest
@QuarkusTestResource(StockService.class)
class ReturnFlowTest {

  @Test
  void aReturnReceivedWithMixedConditionsPutsEachUnitInItsBucket() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    Shipments.Shipped order = Shipments.ship(location, sku, 6);
    String rma = Returns.authorize(Returns.authorization(order.orderId(), sku, 5));

    json()
        .body(
            receipt(
                location,
                line(sku, 2, "SELLABLE"),
                line(sku, 2, "NEEDS_INSPECTION"),
                line(sku, 1, "DEFECTIVE")))
        .post("/api/v1/returns/{id}/receipts", rma)
        .then()
        .statusCode(201)
        .body("status", equalTo("RECEIVED"))
        .body("lines[0].received", equalTo(5))
        .body("awaitingInspection[0].quantity", equalTo(2))
        .body("exceptions.size()", equalTo(0));

    awaitQuantity(sku, location, "available", 2);
    assertThat(StockService.quantity(sku, location, "qualityControl")).isEqualTo(2);
    assertThat(StockService.quantity(sku, location, "damaged")).isEqualTo(1);
    assertThat(StockService.ledger(sku, location))
        .filteredOn(e -> ("rma:" + rma).equals(e.get("reference")))
        .extracting(e -> e.get("state") + " " + e.get("delta") + " " + e.get("reason"))
        .containsExactlyInAnyOrder(
            "available 2 returned_restock",
            "qualityControl 2 quality_control",
            "damaged 1 returned_damaged");
    StockService.assertLedgerMatchesBalances(sku);
  }

  @Test
  void inspectionMovesQualityControlUnitsToEachOutcome() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    Shipments.Shipped order = Shipments.ship(location, sku, 4);
    String rma = Returns.authorize(Returns.authorization(order.orderId(), sku, 4));
    json()
        .body(receipt(location, line(sku, 4, "NEEDS_INSPECTION")))
        .post("/api/v1/returns/{id}/receipts", rma)
        .then()
        .statusCode(201);
    awaitQuantity(sku, location, "qualityControl", 4);

    json()
        .body(
            Map.of(
                "location",
                location,
                "lines",
                List.of(
                    Map.of("sku", sku, "quantity", 1, "outcome", "RESTOCK"),
                    Map.of("sku", sku, "quantity", 1, "outcome", "DAMAGED"),
                    Map.of("sku", sku, "quantity", 1, "outcome", "WRITE_OFF"),
                    Map.of("sku", sku, "quantity", 1, "outcome", "RETURN_TO_VENDOR"))))
        .post("/api/v1/returns/{id}/inspections", rma)
        .then()
        .statusCode(201)
        .body("awaitingInspection.size()", equalTo(0));

    awaitQuantity(sku, location, "qualityControl", 0);
    assertThat(StockService.quantity(sku, location, "available")).isEqualTo(1);
    assertThat(StockService.quantity(sku, location, "damaged")).isEqualTo(1);
    assertThat(StockService.balance(sku, location).get("onHand")).isEqualTo(2);
    assertThat(StockService.ledger(sku, location))
        .filteredOn(
            e ->
                "qualityControl".equals(e.get("state"))
                    && ((Number) e.get("delta")).longValue() < 0)
        .extracting(e -> (String) e.get("reason"))
        .containsExactlyInAnyOrder(
            "returned_restock", "returned_damaged", "write_off", "return_to_vendor");
    StockService.assertLedgerMatchesBalances(sku);

    // nothing more awaits inspection
    json()
        .body(
            Map.of(
                "location",
                location,
                "lines",
                List.of(Map.of("sku", sku, "quantity", 1, "outcome", "RESTOCK"))))
        .post("/api/v1/returns/{id}/inspections", rma)
        .then()
        .statusCode(422)
        .body("code", equalTo("EXCEEDS_AWAITING"));
  }

  @Test
  void authorisingMoreThanShippedIsRefusedAndSurprisesRaiseExceptions() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    String other = StockService.item();
    Shipments.Shipped order = Shipments.ship(location, sku, 3);

    json()
        .body(Returns.authorization(order.orderId(), sku, 4))
        .post("/api/v1/returns")
        .then()
        .statusCode(422)
        .body("code", equalTo("EXCEEDS_SHIPPED"))
        .body("errors[0].field", equalTo("lines[0].quantity"));
    // by the channel's order id; 2 of 3 authorised leaves 1 for another RMA
    String rma =
        Returns.authorize(
            Map.of(
                "channel", order.channel(),
                "channelOrderId", order.channelOrderId(),
                "lines", List.of(Map.of("sku", sku, "quantity", 2))));
    json()
        .body(Returns.authorization(order.orderId(), sku, 2))
        .post("/api/v1/returns")
        .then()
        .statusCode(422)
        .body("code", equalTo("EXCEEDS_SHIPPED"));

    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.returns", "returns.exception.raised")) {
      json()
          .body(receipt(location, line(sku, 3, "SELLABLE"), line(other, 1, "MISSING")))
          .post("/api/v1/returns/{id}/receipts", rma)
          .then()
          .statusCode(201)
          .body(
              "exceptions.kind",
              org.hamcrest.Matchers.containsInAnyOrder("MISSING_RETURN", "OVER_RETURN"));
      List<Broker.Received> raised =
          List.of(
              tap.await(
                  r -> r.data().path("reference").asText().equals("rma:" + rma),
                  Duration.ofSeconds(10)),
              tap.await(
                  r -> r.data().path("reference").asText().equals("rma:" + rma),
                  Duration.ofSeconds(10)));
      assertThat(raised)
          .extracting(r -> r.data().path("kind").asText() + " " + r.data().path("sku").asText())
          .containsExactlyInAnyOrder("OVER_RETURN " + sku, "MISSING_RETURN " + other);

      // a parcel without an authorisation is recorded and reported, not lost
      String unexpected =
          json()
              .body(Map.of("location", location, "lines", List.of(line(other, 1, "DAMAGED"))))
              .post("/api/v1/returns/unexpected")
              .then()
              .statusCode(201)
              .body("authorized", equalTo(false))
              .body("status", equalTo("RECEIVED"))
              .extract()
              .path("id");
      Broker.Received report =
          tap.await(
              r -> r.data().path("reference").asText().equals("rma:" + unexpected),
              Duration.ofSeconds(10));
      assertThat(report.data().path("kind").asText()).isEqualTo("UNEXPECTED_RETURN");
    }
    // over-returned units are there all the same; the missing one moved nothing
    awaitQuantity(sku, location, "available", 3);
    awaitQuantity(other, location, "damaged", 1);
    assertThat(StockService.quantity(other, location, "available")).isZero();
    StockService.assertLedgerMatchesBalances(sku);
    StockService.assertLedgerMatchesBalances(other);
  }

  @Test
  void anUnusedAuthorisationExpiresAndTheReturnRateCountsWhatCameBack() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    Shipments.Shipped order = Shipments.ship(location, sku, 4);
    String lapsing =
        Returns.authorize(
            Map.of(
                "orderId", order.orderId(),
                "expiresAt", OffsetDateTime.now().plusSeconds(1).toString(),
                "lines", List.of(Map.of("sku", sku, "quantity", 1))));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                json()
                    .get("/api/v1/returns/{id}", lapsing)
                    .then()
                    .body("status", equalTo("CLOSED"))
                    .body("closedReason", equalTo("expired")));
    json()
        .body(receipt(location, line(sku, 1, "SELLABLE")))
        .post("/api/v1/returns/{id}/receipts", lapsing)
        .then()
        .statusCode(409)
        .body("code", equalTo("RETURN_CLOSED"));

    String rma = Returns.authorize(Returns.authorization(order.orderId(), sku, 4));
    json()
        .body(receipt(location, line(sku, 1, "SELLABLE")))
        .post("/api/v1/returns/{id}/receipts", rma)
        .then()
        .statusCode(201)
        .body("status", equalTo("PARTIALLY_RECEIVED"));
    json()
        .get("/api/v1/returns/rates/{sku}", sku)
        .then()
        .statusCode(200)
        .body("shipped", equalTo(4))
        .body("returned", equalTo(1))
        .body("rate", equalTo(0.25f));
  }
}
