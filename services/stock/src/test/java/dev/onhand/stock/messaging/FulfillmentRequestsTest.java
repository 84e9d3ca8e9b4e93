package dev.onhand.stock.messaging;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.Messages;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fulfillment's requests arrive over the real broker and are applied exactly once. */
@QuarkusTest
class FulfillmentRequestsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private Broker broker;
  private Broker.Tap stockEvents;
  private String location;
  private String sku;

  @BeforeEach
  void setUp() throws Exception {
    broker = new Broker();
    stockEvents = broker.tap("onhand.stock", "stock.#");
    location = Api.location();
    sku = Api.item();
    Api.stock(sku, location, "available", 10);
  }

  @AfterEach
  void tearDown() throws Exception {
    stockEvents.close();
    broker.close();
  }

  @Test
  void aReservationRequestIsAnsweredWithItsCorrelationId() throws Exception {
    String correlation = UUID.randomUUID().toString();
    requestReservation("order:m1", correlation, List.of(line(sku, 4)));

    var confirmed = awaitReply("stock.reservation.confirmed", correlation);
    assertThat(confirmed.data().path("reference").asText()).isEqualTo("order:m1");
    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(4);

    String tooMany = UUID.randomUUID().toString();
    requestReservation("order:m2", tooMany, List.of(line(sku, 7)));
    var rejected = awaitReply("stock.reservation.rejected", tooMany);
    assertThat(rejected.data().path("code").asText()).isEqualTo("INSUFFICIENT_STOCK");
    assertThat(rejected.data().path("lines").get(0).path("available").asLong()).isEqualTo(6);
    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(4);
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void requestsArrivingTogetherAreDecidedTogetherAndNeverOversell() throws Exception {
    // 10 in stock (setUp); 30 requests of one unit at once, a release among them
    String released = reserveViaApi(2);
    List<String> correlations = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String correlation = UUID.randomUUID().toString();
      correlations.add(correlation);
      requestReservation("order:run-" + i, correlation, List.of(line(sku, 1)));
      if (i == 14) {
        send(
            Messages.envelope(
                "fulfillment.reservation.release-requested",
                "onhand/fulfillment",
                Map.of("reservationId", released, "cause", "cancelled")));
      }
    }

    int confirmed = 0;
    for (String correlation : correlations) {
      Broker.Received reply =
          stockEvents.await(
              r ->
                  r.type().startsWith("stock.reservation.")
                      && !r.type().equals("stock.reservation.released")
                      && correlation.equals(r.envelope().path("correlationid").asText()),
              WAIT);
      if (reply.type().equals("stock.reservation.confirmed")) {
        confirmed++;
      } else {
        assertThat(reply.type()).isEqualTo("stock.reservation.rejected");
      }
    }
    // 8 free before the release, 2 more after it: 10 requests of one unit can be confirmed
    assertThat(confirmed).as("confirmed: every unit there was, and not one more").isEqualTo(10);
    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(10);
    assertThat(Api.quantity(sku, location, "available")).isZero();
    Db.assertLedgerMatchesBalances(sku);
    long transactions =
        Db.scalar(
            "SELECT count(DISTINCT xmin::text) FROM reservation WHERE reference LIKE 'order:run-%'"
                + " AND id IN (SELECT reservation_id FROM reservation_line WHERE sku = ?)",
            sku);
    assertThat(transactions)
        .as("requests that waited while a transaction ran were decided together")
        .isLessThan(confirmed);
  }

  @Test
  void aShipmentDeliveredTwiceCommitsItsUnitsOnce() throws Exception {
    String reservation = reserveViaApi(5);
    var shipment =
        Messages.envelope(
            "fulfillment.shipment.recorded",
            "onhand/fulfillment",
            Map.of(
                "shipmentId",
                "shp-1",
                "reservationId",
                reservation,
                "reference",
                "order:ship-1",
                "lines",
                List.of(line(sku, 2))));
    send(shipment);
    send(shipment); // redelivery: same message id

    var applied =
        stockEvents.await(
            r ->
                r.type().equals("stock.shipment.applied")
                    && r.data().path("reservationId").asText().equals(reservation),
            WAIT);
    assertThat(applied.data().path("status").asText()).isEqualTo("ACTIVE");
    awaitQueueProcessed();

    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(3);
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(5);
    assertThat(Db.scalar("SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'shipped'", sku))
        .isEqualTo(1);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM inbox WHERE message_id = ?", (String) shipment.get("id")))
        .isEqualTo(1);
    json()
        .get("/api/v1/reservations/{id}", reservation)
        .then()
        .statusCode(200)
        .body("lines[0].shipped", org.hamcrest.Matchers.is(2))
        .body("lines[0].open", org.hamcrest.Matchers.is(3));
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void shippingTheRestFulfilsTheReservation() throws Exception {
    String reservation = reserveViaApi(3);
    send(shipmentOf(reservation, 3));
    var applied =
        stockEvents.await(
            r ->
                r.type().equals("stock.shipment.applied")
                    && r.data().path("reservationId").asText().equals(reservation),
            WAIT);
    assertThat(applied.data().path("status").asText()).isEqualTo("FULFILLED");
    assertThat(Api.quantity(sku, location, "committed")).isZero();
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(7);
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void aShipmentBeyondWhatIsReservedIsRefusedWithAReplyAndChangesNothing() throws Exception {
    String reservation = reserveViaApi(2);
    var shipment = shipmentOf(reservation, 5);
    send(shipment);

    var refused =
        stockEvents.await(
            r ->
                r.type().equals("stock.request.rejected")
                    && r.data().path("requestId").asText().equals(shipment.get("id")),
            WAIT);
    assertThat(refused.data().path("code").asText()).isEqualTo("EXCEEDS_RESERVED");
    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(2);
    assertThat(Db.scalar("SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'shipped'", sku))
        .isZero();
  }

  @Test
  void aCancellationReleasesWhatIsOpenAfterAPartialShipment() throws Exception {
    String reservation = reserveViaApi(6);
    send(shipmentOf(reservation, 2));
    send(
        Messages.envelope(
            "fulfillment.reservation.release-requested",
            "onhand/fulfillment",
            Map.of("reservationId", reservation, "cause", "order_cancelled")));

    var released =
        stockEvents.await(
            r ->
                r.type().equals("stock.reservation.released")
                    && r.data().path("reservationId").asText().equals(reservation),
            WAIT);
    assertThat(released.data().path("lines").get(0).path("quantity").asLong()).isEqualTo(4);
    assertThat(released.data().path("status").asText()).isEqualTo("RELEASED");
    assertThat(Api.quantity(sku, location, "committed")).isZero();
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(8);
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void aShipmentResentUnderANewMessageIdIsAppliedOnce() throws Exception {
    String reservation = reserveViaApi(5);
    Map<String, Object> data =
        Map.of(
            "shipmentId",
            "shp-resent",
            "reservationId",
            reservation,
            "lines",
            List.of(line(sku, 2)));
    send(Messages.envelope("fulfillment.shipment.recorded", "onhand/fulfillment", data));
    send(Messages.envelope("fulfillment.shipment.recorded", "onhand/fulfillment", data));
    awaitQueueProcessed();

    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(3);
    assertThat(Db.scalar("SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'shipped'", sku))
        .isEqualTo(1);
  }

  @Test
  void aReservationRequestWithTwoLinesForOneBalanceIsAnsweredNotDeadLettered() throws Exception {
    String correlation = UUID.randomUUID().toString();
    requestReservation("order:dup", correlation, List.of(line(sku, 1), line(sku, 2)));

    var rejected = awaitReply("stock.reservation.rejected", correlation);
    assertThat(rejected.data().path("code").asText()).isEqualTo("VALIDATION_FAILED");
    assertThat(rejected.data().path("errors").get(0).path("code").asText())
        .isEqualTo("DUPLICATE_LINE");
    assertThat(Api.quantity(sku, location, "committed")).isZero();
  }

  @Test
  void anEnvelopeWithoutItsSourceIsDeadLetteredWithoutRetries() throws Exception {
    var envelope =
        Messages.envelope(
            "fulfillment.reservation.requested",
            "onhand/fulfillment",
            Map.of("reference", "order:nosource", "lines", List.of(line(sku, 1))));
    envelope.remove("source");
    String id = (String) envelope.get("id");
    send(envelope);

    long deadline = System.nanoTime() + WAIT.toNanos();
    List<Broker.Received> dead = List.of();
    while (dead.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      dead =
          broker.take("stock.fulfillment-requests.dlq").stream()
              .filter(r -> id.equals(r.envelope().path("id").asText()))
              .toList();
    }
    assertThat(dead).hasSize(1);
    assertThat(
            Db.scalar(
                "SELECT attempts FROM inbox_failure WHERE message_id = ? AND dead_lettered", id))
        .isEqualTo(1);
    assertThat(Api.quantity(sku, location, "committed")).isZero();
  }

  @Test
  void aMalformedMessageIsDeadLetteredAtOnce() throws Exception {
    String marker = "not-json-" + UUID.randomUUID();
    broker.publish("onhand.fulfillment", "fulfillment.shipment.recorded", marker, Map.of());

    List<Broker.Received> dead = awaitDeadLetter("stock.fulfillment-requests.dlq", marker);
    assertThat(dead).isNotEmpty();
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM inbox_failure WHERE consumer = ? AND payload = ? AND"
                    + " dead_lettered",
                FulfillmentRequestsConsumer.CONSUMER,
                marker))
        .isEqualTo(1);
  }

  @Test
  void aShortPickReleasedAsLostLeavesCommittedWithoutReturningToAvailable() throws Exception {
    String reference = Api.unique("order");
    String reservation = reserveViaApi(reference, 5);
    send(
        Messages.envelope(
            "fulfillment.reservation.release-requested",
            "onhand/fulfillment",
            Map.of(
                "reservationId",
                reservation,
                "lines",
                List.of(line(sku, 2)),
                "cause",
                "short_pick",
                "disposition",
                "lost")));

    var released = awaitReleased(reservation);
    assertThat(released.data().path("cause").asText()).isEqualTo("short_pick");
    assertThat(released.data().path("status").asText()).isEqualTo("ACTIVE");
    assertThat(released.data().path("lines").get(0).path("quantity").asLong()).isEqualTo(2);
    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(3);
    assertThat(Api.quantity(sku, location, "available")).as("lost units stay gone").isEqualTo(5);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'lost' AND state ="
                    + " 'committed' AND delta = -2 AND reference = ?",
                sku,
                reference))
        .isEqualTo(1);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'reservation_release'",
                sku))
        .isZero();
    json()
        .get("/api/v1/reservations/{id}", reservation)
        .then()
        .statusCode(200)
        .body("lines[0].released", org.hamcrest.Matchers.is(2))
        .body("lines[0].open", org.hamcrest.Matchers.is(3));

    // the rest lost too: the reservation closes as RELEASED
    send(
        Messages.envelope(
            "fulfillment.reservation.release-requested",
            "onhand/fulfillment",
            Map.of("reservationId", reservation, "cause", "short_pick", "disposition", "lost")));
    var closed =
        stockEvents.await(
            r ->
                r.type().equals("stock.reservation.released")
                    && r.data().path("reservationId").asText().equals(reservation)
                    && r.data().path("status").asText().equals("RELEASED"),
            WAIT);
    assertThat(closed.data().path("lines").get(0).path("quantity").asLong()).isEqualTo(3);
    assertThat(Api.quantity(sku, location, "committed")).isZero();
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(5);
    assertThat(Db.scalar("SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'lost'", sku))
        .isEqualTo(2);
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void aReleaseWithoutDispositionOrWithAvailableReturnsUnitsToAvailable() throws Exception {
    String reference = Api.unique("order");
    String reservation = reserveViaApi(reference, 4);
    send(
        Messages.envelope(
            "fulfillment.reservation.release-requested",
            "onhand/fulfillment",
            Map.of("reservationId", reservation, "lines", List.of(line(sku, 1)))));
    send(
        Messages.envelope(
            "fulfillment.reservation.release-requested",
            "onhand/fulfillment",
            Map.of(
                "reservationId",
                reservation,
                "lines",
                List.of(line(sku, 1)),
                "cause",
                "customer_changed_mind",
                "disposition",
                "available")));
    stockEvents.await(
        r ->
            r.type().equals("stock.reservation.released")
                && r.data().path("reservationId").asText().equals(reservation)
                && r.data().path("cause").asText().equals("customer_changed_mind"),
        WAIT);
    awaitQueueProcessed();

    assertThat(Api.quantity(sku, location, "committed")).isEqualTo(2);
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(8);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'reservation_release'"
                    + " AND reference = ?",
                sku,
                reference))
        .as("committed -1 and available +1, twice")
        .isEqualTo(4);
    assertThat(Db.scalar("SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'lost'", sku))
        .isZero();
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void aMispickMovementDeliveredTwiceIsAppliedOnce() throws Exception {
    String movementId = UUID.randomUUID().toString();
    Map<String, Object> data =
        Map.of(
            "movementId",
            movementId,
            "reason",
            "mispick",
            "reference",
            "order:mispick-1",
            "lines",
            List.of(movementLine(sku, -1)));
    var movement = Messages.envelope("fulfillment.movement.requested", "onhand/fulfillment", data);
    send(movement);
    send(movement); // redelivery: same message id
    // resent under a new message id: the movement id still makes it the same movement
    send(Messages.envelope("fulfillment.movement.requested", "onhand/fulfillment", data));
    awaitQueueProcessed();

    assertThat(Api.quantity(sku, location, "available")).isEqualTo(9);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'mispick' AND reference ="
                    + " 'order:mispick-1' AND movement_id = ?::uuid",
                sku,
                movementId))
        .isEqualTo(1);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM inbox WHERE message_id = ?", (String) movement.get("id")))
        .isEqualTo(1);
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void aMispickMovementThatWouldGoNegativeIsRefusedWithAReplyAndChangesNothing() throws Exception {
    long before = Db.ledgerEntries(sku);
    var movement =
        Messages.envelope(
            "fulfillment.movement.requested",
            "onhand/fulfillment",
            Map.of(
                "reason",
                "mispick",
                "reference",
                "order:mispick-2",
                "lines",
                List.of(movementLine(sku, -11))));
    send(movement);

    var refused =
        stockEvents.await(
            r ->
                r.type().equals("stock.request.rejected")
                    && r.data().path("requestId").asText().equals(movement.get("id")),
            WAIT);
    assertThat(refused.data().path("code").asText()).isEqualTo("NEGATIVE_BALANCE");
    assertThat(refused.data().path("requestType").asText())
        .isEqualTo("fulfillment.movement.requested");
    assertThat(refused.envelope().path("correlationid").asText()).isEqualTo(movement.get("id"));
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(10);
    assertThat(Db.ledgerEntries(sku)).isEqualTo(before);
    assertThat(Db.scalar("SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'mispick'", sku))
        .isZero();
  }

  private Broker.Received awaitReleased(String reservation) throws Exception {
    return stockEvents.await(
        r ->
            r.type().equals("stock.reservation.released")
                && r.data().path("reservationId").asText().equals(reservation),
        WAIT);
  }

  private Map<String, Object> movementLine(String sku, long delta) {
    return Map.of("sku", sku, "location", location, "state", "available", "delta", delta);
  }

  private List<Broker.Received> awaitDeadLetter(String queue, String marker) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      List<Broker.Received> found =
          broker.take(queue).stream().filter(r -> r.raw().equals(marker)).toList();
      if (!found.isEmpty()) {
        return found;
      }
      Thread.sleep(100);
    }
    return List.of();
  }

  /** Sends a sentinel through the same queue; once answered, everything before it was handled. */
  private void awaitQueueProcessed() throws Exception {
    String sentinel = UUID.randomUUID().toString();
    requestReservation("sentinel", sentinel, List.of(line(sku, 1000)));
    awaitReply("stock.reservation.rejected", sentinel);
  }

  /** Sends fulfillment's reservation request, with the correlation id its reply will carry. */
  private void requestReservation(
      String reference, String correlation, List<Map<String, Object>> lines) throws Exception {
    send(
        Messages.withCorrelation(
            Messages.envelope(
                "fulfillment.reservation.requested",
                "onhand/fulfillment",
                Map.of("reference", reference, "lines", lines)),
            correlation));
  }

  private Broker.Received awaitReply(String type, String correlation) throws Exception {
    return stockEvents.await(
        r ->
            r.type().equals(type)
                && correlation.equals(r.envelope().path("correlationid").asText()),
        WAIT);
  }

  private Map<String, Object> shipmentOf(String reservation, long quantity) {
    return Messages.envelope(
        "fulfillment.shipment.recorded",
        "onhand/fulfillment",
        Map.of(
            "shipmentId", Api.unique("shp"),
            "reservationId", reservation,
            "lines", List.of(line(sku, quantity))));
  }

  private String reserveViaApi(long quantity) {
    return reserveViaApi(Api.unique("order"), quantity);
  }

  private String reserveViaApi(String reference, long quantity) {
    return json()
        .body(Api.reservation(reference, sku, location, quantity, null))
        .post("/api/v1/reservations")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private Map<String, Object> line(String sku, long quantity) {
    return Map.of("sku", sku, "location", location, "quantity", quantity);
  }

  private void send(Map<String, Object> envelope) throws Exception {
    String type = (String) envelope.get("type");
    broker.publish("onhand.fulfillment", type, Broker.json(envelope), Map.of());
  }
}
