package dev.onhand.stock.count;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cycle counts: movements during a count are replayed, not reported; variances are applied within
 * tolerance or after approval, exactly, and the ledger still equals the balances.
 */
@QuarkusTest
class CycleCountTest {

  @Test
  void unitsSoldAndReceivedDuringTheCountAreNoVariance() throws Exception {
    String location = Api.location();
    String sku = Counts.item(10);
    Api.stock(sku, location, "available", 10);
    String id = Counts.start(location, Map.of(), sku);
    Counts.get(id).statusCode(200).body("lines[0].expected", equalTo(10));

    // during the count: 3 sold (reserved, then shipped), 5 received
    Counts.sell(location, Map.of(sku, 3L));
    Api.stock(sku, location, "available", 5);
    String countedAt = OffsetDateTime.now().toString();
    // after the counter counted: 4 more received, which the count did not see
    Api.stock(sku, location, "available", 4);

    // tolerance 0: any variance would wait for approval
    Counts.results(id, Counts.line(sku, 12, countedAt))
        .statusCode(200)
        .body("status", equalTo("COMPLETED"))
        .body("lines[0].expected", equalTo(10))
        .body("lines[0].expectedAtCount", equalTo(12))
        .body("lines[0].counted", equalTo(12))
        .body("lines[0].variance", equalTo(0))
        .body("lines[0].varianceValue", equalTo(0))
        .body("lines[0].withinTolerance", equalTo(true))
        .body("lines[0].status", equalTo("ACCEPTED"));
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(16);
    assertThat(Counts.cycleCountEntries(sku)).isZero();
    Db.assertLedgerMatchesBalances(sku);
  }

  @Test
  void aVarianceBeyondToleranceWaitsAndApprovalAppliesExactlyIt() {
    String location = Api.location();
    String sku = Counts.item(10);
    String damagedSku = Counts.item(4);
    Api.stock(sku, location, "available", 20);
    Api.stock(damagedSku, location, "available", 2);
    Api.stock(damagedSku, location, "damaged", 6);
    String id = Counts.start(location, Map.of("toleranceUnits", 1), sku, damagedSku);

    Counts.results(id, Counts.line(sku, 17), Counts.line(damagedSku, 1))
        .statusCode(200)
        .body("status", equalTo("AWAITING_APPROVAL"))
        .body("lines[0].variance", equalTo(-3))
        .body("lines[0].varianceValue", equalTo(-30))
        .body("lines[0].withinTolerance", equalTo(false))
        .body("lines[0].status", equalTo("PENDING_APPROVAL"))
        .body("lines[1].expected", equalTo(8))
        .body("lines[1].variance", equalTo(-7))
        .body("lines[1].varianceValue", equalTo(-28));
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(20);
    assertThat(Counts.cycleCountEntries(sku)).isZero();

    // 7 units short but only 2 available: the approval is refused whole
    json()
        .post("/api/v1/counts/{id}/approve", id)
        .then()
        .statusCode(409)
        .body("code", equalTo("VARIANCE_EXCEEDS_AVAILABLE"))
        .body("lines[0].sku", equalTo(damagedSku))
        .body("lines[0].available", equalTo(2));
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(20);
    assertThat(Counts.cycleCountEntries(sku) + Counts.cycleCountEntries(damagedSku)).isZero();
    Counts.get(id).body("status", equalTo("AWAITING_APPROVAL"));

    // the damaged units are made available, then the approval applies both variances
    json()
        .body(
            Map.of(
                "lines",
                List.of(
                    Map.of(
                        "sku",
                        damagedSku,
                        "location",
                        location,
                        "from",
                        "damaged",
                        "to",
                        "available",
                        "quantity",
                        6))))
        .post("/api/v1/inventory/moves")
        .then()
        .statusCode(201);
    json()
        .header("X-Actor", "auditor-1")
        .body(Map.of("note", "recounted twice"))
        .post("/api/v1/counts/{id}/approve", id)
        .then()
        .statusCode(200)
        .body("status", equalTo("APPROVED"))
        .body("decidedBy", equalTo("auditor-1"))
        .body("decisionNote", equalTo("recounted twice"))
        .body("lines[0].status", equalTo("APPROVED"))
        .body("lines[1].status", equalTo("APPROVED"));
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(17);
    assertThat(Api.quantity(damagedSku, location, "available")).isEqualTo(1);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM ledger WHERE sku = ? AND location = ? AND reason ="
                    + " 'cycle_count' AND state = 'available' AND delta = -3 AND reference = ?"
                    + " AND actor = 'auditor-1'",
                sku,
                location,
                "count:" + id))
        .isEqualTo(1);
    assertThat(Counts.cycleCountEntries(sku)).isEqualTo(1);
    assertThat(Counts.cycleCountEntries(damagedSku)).isEqualTo(1);
    Db.assertLedgerMatchesBalances(sku);
    Db.assertLedgerMatchesBalances(damagedSku);

    // a decided count takes nothing more
    json()
        .post("/api/v1/counts/{id}/approve", id)
        .then()
        .statusCode(409)
        .body("code", equalTo("COUNT_NOT_AWAITING_APPROVAL"));
    Counts.results(id, Counts.line(sku, 17), Counts.line(damagedSku, 1))
        .statusCode(409)
        .body("code", equalTo("COUNT_NOT_OPEN"));
    json()
        .post("/api/v1/counts/{id}/reject", id)
        .then()
        .statusCode(409)
        .body("code", equalTo("COUNT_NOT_AWAITING_APPROVAL"));
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(17);
  }

  @Test
  void withinToleranceIsAppliedAtOnceAndARejectionPostsNothing() {
    String location = Api.location();
    String close = Counts.item(10);
    String far = Counts.item(10);
    Api.stock(close, location, "available", 50);
    Api.stock(far, location, "available", 50);
    // 10% of 50 = 5 units of tolerance
    String id = Counts.start(location, Map.of("tolerancePercent", 10), close, far);

    Counts.results(id, Counts.line(close, 46), Counts.line(far, 60))
        .statusCode(200)
        .body("status", equalTo("AWAITING_APPROVAL"))
        .body("lines[0].status", equalTo("ACCEPTED"))
        .body("lines[0].withinTolerance", equalTo(true))
        .body("lines[1].status", equalTo("PENDING_APPROVAL"));
    assertThat(Api.quantity(close, location, "available")).isEqualTo(46);
    assertThat(
            Db.scalar(
                "SELECT count(*) FROM ledger WHERE sku = ? AND reason = 'cycle_count' AND delta ="
                    + " -4 AND reference = ?",
                close,
                "count:" + id))
        .isEqualTo(1);
    assertThat(Api.quantity(far, location, "available")).isEqualTo(50);

    long entries = Db.ledgerEntries(far);
    json()
        .header("X-Actor", "auditor-2")
        .body(Map.of("note", "miscounted a pallet"))
        .post("/api/v1/counts/{id}/reject", id)
        .then()
        .statusCode(200)
        .body("status", equalTo("REJECTED"))
        .body("decidedBy", equalTo("auditor-2"))
        .body("lines[0].status", equalTo("ACCEPTED"))
        .body("lines[1].status", equalTo("REJECTED"));
    assertThat(Api.quantity(far, location, "available")).isEqualTo(50);
    assertThat(Db.ledgerEntries(far)).isEqualTo(entries);
    Db.assertLedgerMatchesBalances(close);
    Db.assertLedgerMatchesBalances(far);

    // the rejected SKU may be counted again; 2 over with 2 units of tolerance is applied at once
    String recount = Counts.start(location, Map.of("toleranceUnits", 2), far);
    Counts.results(recount, Counts.line(far, 52))
        .statusCode(200)
        .body("status", equalTo("COMPLETED"))
        .body("lines[0].variance", equalTo(2));
    assertThat(Api.quantity(far, location, "available")).isEqualTo(52);
    Db.assertLedgerMatchesBalances(far);
  }

  @Test
  void aBlindCountHidesExpectedQuantitiesUntilItsResults() {
    String location = Api.location();
    String sku = Counts.item(10);
    Api.stock(sku, location, "available", 9);
    String id =
        Counts.start(Map.of("location", location, "skus", List.of(sku), "blind", true))
            .statusCode(201)
            .body("blind", equalTo(true))
            .body("status", equalTo("OPEN"))
            .body("lines[0].sku", equalTo(sku))
            .body("lines[0].expected", nullValue())
            .body("lines[0].expectedAtCount", nullValue())
            .extract()
            .path("id");
    Counts.get(id).statusCode(200).body("lines[0].expected", nullValue());
    assertThat(json().get("/api/v1/counts/{id}", id).asString()).doesNotContain("\"expected\":9");

    Counts.results(id, Counts.line(sku, 9))
        .statusCode(200)
        .body("lines[0].expected", equalTo(9))
        .body("lines[0].expectedAtCount", equalTo(9));
    Counts.get(id).body("lines[0].expected", equalTo(9));

    // a count that is not blind shows them from the start
    String other = Counts.item(10);
    Api.stock(other, location, "available", 4);
    Counts.start(Map.of("location", location, "skus", List.of(other)))
        .statusCode(201)
        .body("blind", equalTo(false))
        .body("lines[0].expected", equalTo(4));
  }

  @Test
  void abcSelectionPicksTheSkusOfAClassByConsumptionValue() throws Exception {
    String location = Api.location();
    String elsewhere = Api.location();
    // consumption values: 10 × 50 = 500, 30 × 10 = 300, 10 × 10 = 100, 12 × 5 = 60, 4 × 10 = 40,
    // and none: total 1000. Above each: 0, 50%, 80%, 90%, 96% → A, A, B, B, C; no sale → C.
    String s1 = Counts.item(50);
    String s2 = Counts.item(10);
    String s3 = Counts.item(10);
    String s4 = Counts.item(5);
    String s5 = Counts.item(10);
    String s6 = Counts.item(10);
    for (String sku : List.of(s1, s2, s3, s4, s5, s6)) {
      Api.stock(sku, location, "available", 50);
    }
    Api.stock(s6, elsewhere, "available", 100);
    Counts.sell(location, Map.of(s1, 10L, s2, 30L, s3, 10L, s4, 12L, s5, 4L));
    // sales elsewhere do not make s6 an A here
    Counts.sell(elsewhere, Map.of(s6, 100L));

    Counts.start(Map.of("location", location, "skus", List.of(s1), "abcClass", "A"))
        .statusCode(400)
        .body("errors[0].code", equalTo("CONFLICTING_SELECTION"));
    Counts.start(Map.of("location", location, "abcClass", "A"))
        .statusCode(201)
        .body("abcClass", equalTo("A"))
        .body("lines.sku", containsInAnyOrder(s1, s2));
    Counts.start(Map.of("location", location, "abcClass", "B"))
        .statusCode(201)
        .body("lines.sku", containsInAnyOrder(s3, s4));
    Counts.start(Map.of("location", location, "abcClass", "C"))
        .statusCode(201)
        .body("lines.sku", containsInAnyOrder(s5, s6));
    // every SKU here is now in an unfinished count
    Counts.start(Map.of("location", location))
        .statusCode(409)
        .body("code", equalTo("COUNT_IN_PROGRESS"));

    // nothing sold: every SKU is C, and no A remains to count
    String quiet = Api.location();
    String idle = Counts.item(10);
    Api.stock(idle, quiet, "available", 5);
    Counts.start(Map.of("location", quiet, "abcClass", "A"))
        .statusCode(422)
        .body("code", equalTo("NOTHING_TO_COUNT"));
    Counts.start(Map.of("location", quiet))
        .statusCode(201)
        .body("lines.sku", containsInAnyOrder(idle));
    Counts.start(Map.of("location", Api.location()))
        .statusCode(422)
        .body("code", equalTo("NOTHING_TO_COUNT"));
  }

  @Test
  void badInputIsRefusedWithACodeAndChangesNothing() {
    String location = Api.location();
    String sku = Counts.item(10);
    String other = Counts.item(10);
    Api.stock(sku, location, "available", 7);
    long entries = Db.ledgerEntries(sku);

    String nowhere = "NOWHERE-" + location;
    Counts.start(Map.of("location", nowhere, "skus", List.of(sku)))
        .statusCode(422)
        .body("code", equalTo("UNKNOWN_LOCATION"))
        .body("errors[0].field", equalTo("location"));
    Counts.start(Map.of("location", nowhere))
        .statusCode(422)
        .body("code", equalTo("UNKNOWN_LOCATION"));
    assertThat(Db.scalar("SELECT count(*) FROM cycle_count WHERE location = ?", nowhere)).isZero();
    Counts.start(Map.of("location", location, "skus", List.of(sku, "NO-SUCH-" + sku)))
        .statusCode(422)
        .body("code", equalTo("UNKNOWN_SKU"))
        .body("errors[0].field", equalTo("skus[1]"));
    Counts.start(Map.of("location", location, "skus", List.of(sku, sku)))
        .statusCode(400)
        .body("errors[0].code", equalTo("DUPLICATE_SKU"));
    Counts.start(Map.of("location", location, "skus", List.of(sku), "tolerancePercent", 150))
        .statusCode(400)
        .body("code", equalTo("VALIDATION_FAILED"));
    Counts.start(Map.of("location", location, "abcClass", "D"))
        .statusCode(400)
        .body("errors[0].field", equalTo("abcClass"));
    assertThat(Db.scalar("SELECT count(*) FROM cycle_count WHERE location = ?", location)).isZero();

    String id = Counts.start(location, Map.of(), sku);
    Counts.start(location, Map.of(), other); // another SKU at the same location is fine
    Counts.start(Map.of("location", location, "skus", List.of(sku)))
        .statusCode(409)
        .body("code", equalTo("COUNT_IN_PROGRESS"))
        .body("inProgress[0].countId", equalTo(id));
    Counts.results(id, Counts.line(sku, 5), Counts.line(sku, 6))
        .statusCode(400)
        .body("errors[0].code", equalTo("DUPLICATE_SKU"));
    Counts.results(id, Counts.line(sku, -1))
        .statusCode(400)
        .body("errors[0].field", equalTo("lines[0].counted"))
        .body("errors[0].code", equalTo("OUT_OF_RANGE"));
    Counts.results(id, Counts.line(sku, 5), Counts.line(other, 1))
        .statusCode(422)
        .body("code", equalTo("NOT_IN_COUNT"))
        .body("errors[0].field", equalTo("lines[1].sku"));
    Counts.results(id, Counts.line(sku, 5, OffsetDateTime.now().minusDays(1).toString()))
        .statusCode(422)
        .body("code", equalTo("INVALID_COUNTED_AT"))
        .body("errors[0].code", equalTo("BEFORE_COUNT_STARTED"));
    Counts.results(id, Counts.line(sku, 5, OffsetDateTime.now().plusDays(1).toString()))
        .statusCode(422)
        .body("errors[0].code", equalTo("IN_THE_FUTURE"));
    json()
        .body(Map.of("lines", List.of()))
        .post("/api/v1/counts/{id}/results", id)
        .then()
        .statusCode(400);
    json()
        .post("/api/v1/counts/{id}/approve", id)
        .then()
        .statusCode(409)
        .body("code", equalTo("COUNT_NOT_AWAITING_APPROVAL"));
    json().get("/api/v1/counts/{id}", "not-a-uuid").then().statusCode(400);
    json()
        .post("/api/v1/counts/{id}/approve", "not-a-uuid")
        .then()
        .statusCode(400)
        .body("code", equalTo("VALIDATION_FAILED"));
    String unknown = "00000000-0000-4000-8000-000000000000";
    json()
        .get("/api/v1/counts/{id}", unknown)
        .then()
        .statusCode(404)
        .body("code", equalTo("COUNT_NOT_FOUND"));
    Counts.results(unknown, Counts.line(sku, 5))
        .statusCode(404)
        .body("code", equalTo("COUNT_NOT_FOUND"));

    // nothing of it changed the count or the stock
    Counts.get(id)
        .body("status", equalTo("OPEN"))
        .body("lines[0].counted", nullValue())
        .body("resultsAt", nullValue());
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(7);
    assertThat(Db.ledgerEntries(sku)).isEqualTo(entries);

    // a count with a SKU missing from the results is refused, naming it
    String two = Counts.start(Api.location(), Map.of(), sku, other);
    Counts.results(two, Counts.line(sku, 0))
        .statusCode(422)
        .body("code", equalTo("COUNT_INCOMPLETE"))
        .body("missingSkus", containsInAnyOrder(other));
    Counts.get(two).body("status", equalTo("OPEN"));

    // withdrawing an open count frees its SKUs
    json()
        .post("/api/v1/counts/{id}/reject", id)
        .then()
        .statusCode(200)
        .body("status", equalTo("REJECTED"))
        .body("lines[0].status", equalTo("REJECTED"));
    Counts.start(location, Map.of(), sku);
    assertThat(Db.ledgerEntries(sku)).isEqualTo(entries);
  }

  @Test
  void theSameIdempotencyKeyStartsOneCountAndRecordsResultsOnce() {
    String location = Api.location();
    String sku = Counts.item(10);
    Api.stock(sku, location, "available", 3);
    Map<String, Object> body = Map.of("location", location, "skus", List.of(sku));
    String key = Api.unique("count-key");
    String first =
        json()
            .header("Idempotency-Key", key)
            .body(body)
            .post("/api/v1/counts")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    json()
        .header("Idempotency-Key", key)
        .body(body)
        .post("/api/v1/counts")
        .then()
        .statusCode(201)
        .header("Idempotent-Replayed", "true")
        .body("id", equalTo(first));
    assertThat(Db.scalar("SELECT count(*) FROM cycle_count WHERE location = ?", location))
        .isEqualTo(1);

    String resultsKey = Api.unique("results-key");
    Map<String, Object> results = Map.of("lines", List.of(Counts.line(sku, 5)));
    for (int i = 0; i < 2; i++) {
      json()
          .header("Idempotency-Key", resultsKey)
          .header("X-Actor", "auditor-3")
          .body(results)
          .post("/api/v1/counts/{id}/results", first)
          .then()
          .statusCode(200)
          .body("status", equalTo("AWAITING_APPROVAL"))
          .body("resultsBy", equalTo("auditor-3"));
    }
    assertThat(Api.quantity(sku, location, "available")).isEqualTo(3);
  }
}
