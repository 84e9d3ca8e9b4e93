package dev.onhand.stock.ledger;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
  void everyLedgerEntryNamesABalanceEvenBypassingTheService() {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 2);
    String elsewhere = Api.location();

    // one entry without a balance refuses the whole statement, the valid entry with it
    assertThatThrownBy(
            () ->
                Db.execute(
                    "INSERT INTO ledger (movement_id, sku, location, sequence, state, delta,"
                        + " balance_after, reason, actor, occurred_at) VALUES"
                        + " (gen_random_uuid(), ?, ?, 2, 'available', 1, 3, 'receipt', 'test', now()),"
                        + " (gen_random_uuid(), ?, ?, 1, 'available', 1, 1, 'receipt', 'test', now())",
                    sku,
                    location,
                    sku,
                    elsewhere))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("names no balance")
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("23503");
    assertThat(Db.ledgerEntries(sku)).isEqualTo(1);
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void balancesAndReservationsArePermanentSoTheirEntriesAndLinesKeepTheirParents()
      throws SQLException {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 3);
    String id =
        json()
            .header("Idempotency-Key", Api.unique("key"))
            .body(Api.reservation(Api.unique("order"), sku, location, 1, null))
            .post("/api/v1/reservations")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    Map<String, String> statements =
        Map.of(
            "DELETE FROM balance WHERE sku = ?", sku,
            "UPDATE balance SET location = location WHERE sku = ?", sku,
            "DELETE FROM reservation WHERE id = ?::uuid", id,
            "UPDATE reservation SET id = gen_random_uuid() WHERE id = ?::uuid", id);
    statements.forEach(
        (statement, argument) ->
            assertThatThrownBy(() -> Db.execute(statement, argument))
                .as(statement)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permanent"));
    // TRUNCATE in a transaction rolled back whatever happens: a missing guard must not empty the
    // tables other tests use
    for (String table : List.of("balance", "reservation")) {
      try (Connection c = Db.connect()) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          assertThatThrownBy(() -> s.execute("TRUNCATE " + table))
              .as("TRUNCATE " + table)
              .isInstanceOf(SQLException.class)
              .hasMessageContaining("permanent");
        } finally {
          c.rollback();
        }
      }
    }
    assertThatThrownBy(
            () ->
                Db.execute(
                    "INSERT INTO reservation_line (reservation_id, line_no, sku, location, quantity)"
                        + " VALUES (gen_random_uuid(), 1, ?, ?, 1)",
                    sku,
                    location))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("names no reservation")
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("23503");
    assertThat(Db.scalar("SELECT count(*) FROM reservation WHERE id = ?::uuid", id)).isEqualTo(1);
    assertThat(
            Db.scalar("SELECT count(*) FROM reservation_line WHERE reservation_id = ?::uuid", id))
        .isEqualTo(1);
    assertThat(Db.balance(sku, location))
        .containsEntry("available", 2L)
        .containsEntry("committed", 1L);
    Db.assertLedgerMatchesBalances(sku);
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
