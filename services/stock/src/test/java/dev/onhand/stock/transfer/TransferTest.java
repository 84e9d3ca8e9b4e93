package dev.onhand.stock.transfer;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Units moving between locations are exactly accounted for, and what never arrives is reported. */
@QuarkusTest
class TransferTest {

  @Test
  void aTransferShippedAndPartlyReceivedLeavesBothLocationsRightAndReportsTheMissingUnits() {
    String from = Api.location();
    String to = Api.location();
    String sku = Api.item();
    Api.stock(sku, from, "available", 10);
    String id =
        json()
            .body(
                Map.of(
                    "source",
                    from,
                    "destination",
                    to,
                    "lines",
                    List.of(Map.of("sku", sku, "quantity", 6))))
            .post("/api/v1/transfers")
            .then()
            .statusCode(201)
            .body("status", equalTo("DRAFT"))
            .extract()
            .path("id");

    json()
        .post("/api/v1/transfers/{id}/ship", id)
        .then()
        .statusCode(200)
        .body("status", equalTo("SHIPPED"));
    assertThat(Api.quantity(sku, from, "available")).isEqualTo(4);
    assertThat(Api.quantity(sku, to, "incoming")).isEqualTo(6);

    // 3 arrive good and 1 damaged, the transfer stays open for the rest
    json()
        .body(Map.of("close", false, "lines", List.of(Map.of("sku", sku, "good", 3, "damaged", 1))))
        .post("/api/v1/transfers/{id}/receive", id)
        .then()
        .statusCode(200)
        .body("status", equalTo("PARTIALLY_RECEIVED"))
        .body("lines[0].inTransit", equalTo(2));
    assertThat(Api.quantity(sku, to, "available")).isEqualTo(3);
    assertThat(Api.quantity(sku, to, "damaged")).isEqualTo(1);
    assertThat(Api.quantity(sku, to, "incoming")).isEqualTo(2);

    // 1 more arrives and the transfer is closed: the last unit is lost and reported
    json()
        .body(Map.of("lines", List.of(Map.of("sku", sku, "good", 1))))
        .post("/api/v1/transfers/{id}/receive", id)
        .then()
        .statusCode(200)
        .body("status", equalTo("RECEIVED"))
        .body("lines[0].lost", equalTo(1))
        .body("lines[0].inTransit", equalTo(0));
    assertThat(Api.quantity(sku, to, "available")).isEqualTo(4);
    assertThat(Api.quantity(sku, to, "incoming")).isZero();
    assertThat(Api.quantity(sku, from, "available")).isEqualTo(4);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM ledger WHERE sku = ? AND reference = ? AND reason = 'lost'",
                sku,
                "transfer:" + id))
        .isEqualTo(1);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM exception_entry WHERE reference = ? AND kind = 'TRANSFER_LOSS'"
                    + " AND sku = ? AND location = ?",
                "transfer:" + id,
                sku,
                to))
        .isEqualTo(1);
    Db.assertLedgerMatchesBalances(sku);

    // a closed transfer takes nothing more
    json()
        .body(Map.of("lines", List.of(Map.of("sku", sku, "good", 1))))
        .post("/api/v1/transfers/{id}/receive", id)
        .then()
        .statusCode(409)
        .body("code", equalTo("TRANSFER_STATUS"));
  }

  @Test
  void badTransfersAreRefusedAndMoveNothing() {
    String from = Api.location();
    String to = Api.location();
    String sku = Api.item();
    Api.stock(sku, from, "available", 2);
    json()
        .body(
            Map.of(
                "source",
                from,
                "destination",
                from,
                "lines",
                List.of(Map.of("sku", sku, "quantity", 1))))
        .post("/api/v1/transfers")
        .then()
        .statusCode(400)
        .body("errors[0].code", equalTo("SAME_LOCATION"));
    json()
        .body(
            Map.of(
                "source",
                from,
                "destination",
                "NOWHERE-" + to,
                "lines",
                List.of(Map.of("sku", sku, "quantity", 1))))
        .post("/api/v1/transfers")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("destination"));
    String tooMany =
        json()
            .body(
                Map.of(
                    "source",
                    from,
                    "destination",
                    to,
                    "lines",
                    List.of(Map.of("sku", sku, "quantity", 3))))
            .post("/api/v1/transfers")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    json()
        .post("/api/v1/transfers/{id}/ship", tooMany)
        .then()
        .statusCode(422)
        .body("code", equalTo("NEGATIVE_BALANCE"));
    json().get("/api/v1/transfers/{id}", tooMany).then().body("status", equalTo("DRAFT"));
    json()
        .body(Map.of("lines", List.of(Map.of("sku", sku, "good", 1))))
        .post("/api/v1/transfers/{id}/receive", tooMany)
        .then()
        .statusCode(409);
    json()
        .post("/api/v1/transfers/{id}/cancel", tooMany)
        .then()
        .statusCode(200)
        .body("status", equalTo("CANCELLED"));
    assertThat(Api.quantity(sku, from, "available")).isEqualTo(2);
    assertThat(Api.quantity(sku, to, "incoming")).isZero();
  }
}
