package dev.onhand.stock.reservation;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import dev.onhand.platform.testing.Broker;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A reservation from creation to release, extension and expiry, through the API. */
@QuarkusTest
class ReservationLifecycleTest {
  private String location;
  private String sku;

  @BeforeEach
  void setUp() {
    location = Api.location();
    sku = Api.item();
    Api.stock(sku, location, "available", 10);
  }

  private String reserve(long quantity, Long expiresInSeconds) {
    return json()
        .body(Api.reservation(Api.unique("order"), sku, location, quantity, expiresInSeconds))
        .post("/api/v1/reservations")
        .then()
        .statusCode(201)
        .header("Location", org.hamcrest.Matchers.containsString("/api/v1/reservations/"))
        .extract()
        .path("id");
  }

  @Test
  void aReservationHoldsUnitsInCommittedAndIsReadable() {
    String id = reserve(4, 600L);
    json()
        .get("/api/v1/reservations/{id}", id)
        .then()
        .statusCode(200)
        .body("status", is("ACTIVE"))
        .body("lines[0].quantity", is(4))
        .body("lines[0].open", is(4));
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(6);
    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(4);
    assertThat(Api.quantity(sku, location, "onHand"))
        .as("onHand counts committed units")
        .isEqualTo(10);
  }

  @Test
  void aPartialReleaseThenAFullReleaseReturnEveryUnitOnce() {
    String id = reserve(5, null);
    json()
        .body(Map.of("lines", List.of(Map.of("sku", sku, "location", location, "quantity", 2))))
        .post("/api/v1/reservations/{id}/release", id)
        .then()
        .statusCode(200)
        .body("status", is("ACTIVE"))
        .body("lines[0].released", is(2))
        .body("lines[0].open", is(3));
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(7);

    json()
        .post("/api/v1/reservations/{id}/release", id)
        .then()
        .statusCode(200)
        .body("status", is("RELEASED"))
        .body("lines[0].released", is(5));
    json()
        .post("/api/v1/reservations/{id}/release", id)
        .then()
        .statusCode(409)
        .body("code", is("RESERVATION_NOT_ACTIVE"));
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(10);
    assertThat(Api.quantity(sku, location, "committed")).isZero();
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'reservation_release'",
                sku))
        .isEqualTo(4); // two moves, each out of committed and into available
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void releasingMoreThanIsOpenIsRefused() {
    String id = reserve(2, null);
    json()
        .body(Map.of("lines", List.of(Map.of("sku", sku, "location", location, "quantity", 3))))
        .post("/api/v1/reservations/{id}/release", id)
        .then()
        .statusCode(422)
        .body("code", is("EXCEEDS_RESERVED"));
    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(2);
  }

  @Test
  void anExpiredReservationIsReleasedByTheSchedulerWithItsOwnReasonAndEvent() throws Exception {
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.stock", "stock.reservation.expired")) {
      String id = reserve(3, 1L);
      assertThat(Api.quantity(sku, location, "committed")).isEqualTo(3);

      var expired =
          tap.await(
              r -> id.equals(r.data().path("reservationId").asText()), Duration.ofSeconds(15));

      assertThat(expired.data().path("status").asText()).isEqualTo("EXPIRED");
      assertThat(expired.data().path("lines").get(0).path("quantity").asLong()).isEqualTo(3);
      json().get("/api/v1/reservations/{id}", id).then().body("status", is("EXPIRED"));
      assertThat(Api.quantity(sku, location, "available")).isEqualTo(10);
      assertThat(Api.quantity(sku, location, "committed")).isZero();
      assertThat(
              Db.scalar(
                  "SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'reservation_expired'",
                  sku))
          .isEqualTo(2);
      Db.assertLedgerMatchesBalances(sku);
    }
  }

  @Test
  void anExtendedReservationOutlivesItsFirstExpiry() throws Exception {
    String id = reserve(1, 2L);
    String expiresAt =
        json()
            .body(Map.of("expiresInSeconds", 3600))
            .post("/api/v1/reservations/{id}/extend", id)
            .then()
            .statusCode(200)
            .extract()
            .path("expiresAt");
    assertThat(OffsetDateTime.parse(expiresAt)).isAfter(OffsetDateTime.now().plusMinutes(59));

    Thread.sleep(3500); // past the first expiry, with the scheduler running every second
    json().get("/api/v1/reservations/{id}", id).then().body("status", is("ACTIVE"));
    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(1);
  }
}
