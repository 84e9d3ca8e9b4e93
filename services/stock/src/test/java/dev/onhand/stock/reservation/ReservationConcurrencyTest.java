package dev.onhand.stock.reservation;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.platform.testing.Concurrently;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Given little stock and many concurrent orders, then exactly the stock is sold, never more. */
@QuarkusTest
class ReservationConcurrencyTest {

  @Test
  void twoHundredRacingReservationsForAHundredUnitsConfirmExactlyAHundred() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 100);

    List<Integer> statuses =
        Concurrently.run(
            200,
            i ->
                () ->
                    json()
                        .header("Idempotency-Key", Api.unique("race"))
                        .body(Api.reservation("order:" + i, sku, location, 1, 600L))
                        .post("/api/v1/reservations")
                        .then()
                        .extract()
                        .statusCode());

    assertThat(statuses).filteredOn(s -> s == 201).hasSize(100);
    assertThat(statuses).filteredOn(s -> s == 409).hasSize(100);
    assertThat(Api.quantity(sku, location, "available")).isZero();
    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(100);
    assertThat(Db.scalar("SELECT count(*) FROM reservation_line WHERE sku = ?", sku))
        .isEqualTo(100);
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void multiLineReservationsAreAllOrNothingUnderContention() throws Exception {
    String location = Api.location();
    String shirt = Api.item();
    String socks = Api.item();
    Api.stock(shirt, location, "available", 30);
    Api.stock(socks, location, "available", 10);

    // every order wants one shirt and one pair of socks: only 10 can be filled, and no shirt may
    // stay committed for an order whose socks were short
    List<Integer> statuses =
        Concurrently.run(
            40,
            i ->
                () ->
                    json()
                        .body(
                            Map.of(
                                "reference",
                                "order:multi-" + i,
                                "lines",
                                List.of(
                                    Map.of("sku", shirt, "location", location, "quantity", 1),
                                    Map.of("sku", socks, "location", location, "quantity", 1))))
                        .post("/api/v1/reservations")
                        .then()
                        .extract()
                        .statusCode());

    assertThat(statuses).filteredOn(s -> s == 201).hasSize(10);
    assertThat(statuses).filteredOn(s -> s == 409).hasSize(30);
    assertThat(Api.quantity(shirt, location, "committed")).isEqualTo(10);
    assertThat(Api.quantity(shirt, location, "available")).isEqualTo(20);
    assertThat(Api.quantity(socks, location, "available")).isZero();
    Db.assertLedgerMatchesBalances(shirt);
    Db.assertLedgerMatchesBalances(socks);
  }

  @Test
  void reservationsReleasesAndAdjustmentsRacingKeepEveryInvariant() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    Api.stock(sku, location, "available", 50);

    // reserve, release half of what was reserved, and shrink/grow stock, all at once
    List<Integer> statuses =
        Concurrently.run(
            150,
            i ->
                () -> {
                  int kind = i % 3;
                  if (kind == 0) {
                    var created =
                        json()
                            .body(Api.reservation("order:mix-" + i, sku, location, 2, 600L))
                            .post("/api/v1/reservations")
                            .then()
                            .extract();
                    if (created.statusCode() == 201 && ThreadLocalRandom.current().nextBoolean()) {
                      String id = created.path("id");
                      return json()
                          .post("/api/v1/reservations/{id}/release", id)
                          .then()
                          .extract()
                          .statusCode();
                    }
                    return created.statusCode();
                  }
                  long delta = kind == 1 ? -3 : 2;
                  return json()
                      .body(
                          Map.of(
                              "reason",
                              kind == 1 ? "shrinkage" : "found",
                              "lines",
                              List.of(
                                  Map.of(
                                      "sku",
                                      sku,
                                      "location",
                                      location,
                                      "state",
                                      "available",
                                      "delta",
                                      delta))))
                      .post("/api/v1/inventory/adjustments")
                      .then()
                      .extract()
                      .statusCode();
                });

    assertThat(statuses).allMatch(s -> s == 200 || s == 201 || s == 409 || s == 422);
    Db.assertLedgerMatchesBalances(sku);
    long committed = Api.quantity(sku, location, "committed");
    long open =
        Db.scalar(
            "SELECT coalesce(sum(l.quantity - l.shipped - l.released), 0) FROM reservation_line l"
                + " JOIN reservation r ON r.id = l.reservation_id WHERE l.sku = ?"
                + " AND r.status = 'ACTIVE'",
            sku);
    assertThat(committed).as("committed equals what active reservations hold").isEqualTo(open);
  }
}
