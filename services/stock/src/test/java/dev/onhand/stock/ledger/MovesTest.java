package dev.onhand.stock.ledger;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Moves reclassify units between states at one location; onHand does not change. */
@QuarkusTest
class MovesTest {

  private static Map<String, Object> move(
      String sku, String location, String from, String to, long quantity) {
    return Map.of("sku", sku, "location", location, "from", from, "to", to, "quantity", quantity);
  }

  @Test
  void unitsMoveBetweenStatesWithADerivedReasonAndOnHandIsKept() {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 10);

    json()
        .body(
            Map.of(
                "reference",
                "qc:1",
                "lines",
                List.of(move(sku, location, "available", "qualityControl", 4))))
        .post("/api/v1/inventory/moves")
        .then()
        .statusCode(201)
        .body("reason", is("quality_control"))
        .body("entries.size()", is(2))
        .body("balances[0].qualityControl", is(4))
        .body("balances[0].onHand", is(10));
    json()
        .body(Map.of("lines", List.of(move(sku, location, "qualityControl", "damaged", 1))))
        .post("/api/v1/inventory/moves")
        .then()
        .statusCode(201)
        .body("reason", is("damaged"));

    assertThat(Api.quantity(sku, location, "available")).isEqualTo(6);
    assertThat(Api.quantity(sku, location, "qualityControl")).isEqualTo(3);
    assertThat(Api.quantity(sku, location, "damaged")).isEqualTo(1);
    assertThat(Api.quantity(sku, location, "onHand")).isEqualTo(10);
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void aMoveOfMoreThanTheSourceHoldsChangesNothing() {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 2);

    json()
        .body(
            Map.of(
                "lines",
                List.of(
                    move(sku, location, "available", "reserved", 1),
                    move(sku, location, "available", "safetyStock", 2))))
        .post("/api/v1/inventory/moves")
        .then()
        .statusCode(422)
        .body("code", is("NEGATIVE_BALANCE"));
    json()
        .body(Map.of("lines", List.of(move(sku, location, "available", "available", 1))))
        .post("/api/v1/inventory/moves")
        .then()
        .statusCode(400)
        .body("errors[0].code", is("SAME_STATE"));
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(2);
    assertThat(Db.ledgerEntries(sku)).isEqualTo(1);
  }
}
