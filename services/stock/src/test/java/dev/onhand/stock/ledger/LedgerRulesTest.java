package dev.onhand.stock.ledger;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The database itself guards the ledger and the balances, whatever code writes to them. */
@QuarkusTest
class LedgerRulesTest {

  @Test
  void theLedgerCannotBeRewrittenOrErased() {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 5);

    assertThatThrownBy(() -> Db.execute("UPDATE ledger SET delta = 50 WHERE sku = ?", sku))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> Db.execute("DELETE FROM ledger WHERE sku = ?", sku))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("append-only");
    assertThat(Db.ledgerEntries(sku)).isEqualTo(1);
  }

  @Test
  void noBucketCanGoBelowZeroEvenBypassingTheService() {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 1);

    for (String column :
        List.of(
            "available",
            "committed",
            "reserved",
            "safety_stock",
            "quality_control",
            "damaged",
            "incoming")) {
      assertThatThrownBy(
              () ->
                  Db.execute(
                      "UPDATE balance SET " + column + " = -1 WHERE sku = ? AND location = ?",
                      sku,
                      location))
          .as(column)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("check constraint");
    }
  }

  @Test
  void theLedgerPagesInSequenceOrderWithoutGapsOrRepeats() {
    String location = Api.location();
    String sku = Api.item();
    for (int i = 1; i <= 7; i++) {
      Api.stock(sku, location, "available", i);
    }
    List<Integer> sequences = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var request =
          json().queryParam("sku", sku).queryParam("location", location).queryParam("limit", 3);
      if (cursor != null) {
        request.queryParam("after", cursor);
      }
      var page = request.get("/api/v1/ledger").then().statusCode(200).extract();
      sequences.addAll(page.path("items.sequence"));
      cursor = page.path("next");
      pages++;
    } while (cursor != null);

    assertThat(pages).isEqualTo(3);
    assertThat(sequences).containsExactly(1, 2, 3, 4, 5, 6, 7);
    List<Integer> deltas =
        json().queryParam("sku", sku).get("/api/v1/ledger").then().extract().path("items.delta");
    assertThat(deltas).containsExactly(1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void setToWithAMatchingChangeFromPostsTheDifference() {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 9);

    json()
        .body(
            Map.of(
                "reason",
                "cycle_count",
                "reference",
                "count:9",
                "lines",
                List.of(
                    Map.of(
                        "sku",
                        sku,
                        "location",
                        location,
                        "state",
                        "available",
                        "setTo",
                        6,
                        "changeFrom",
                        9))))
        .post("/api/v1/inventory/adjustments")
        .then()
        .statusCode(201)
        .body("entries[0].delta", org.hamcrest.Matchers.is(-3))
        .body("entries[0].reason", org.hamcrest.Matchers.is("cycle_count"))
        .body("balances[0].available", org.hamcrest.Matchers.is(6));
    Db.assertLedgerMatchesBalances(sku);
  }
}
