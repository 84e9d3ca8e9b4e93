package dev.onhand.stock.count;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.onhand.stock.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inventory record accuracy of a location equals its hand-computed value. */
@QuarkusTest
class CycleCountAccuracyTest {
  @Inject CountAccuracy accuracy;

  @Test
  void accuracyIsTheShareOfCountedSkusWithinTolerance() {
    String location = Api.location();
    OffsetDateTime from = OffsetDateTime.now().minusHours(1);
    OffsetDateTime to = OffsetDateTime.now().plusHours(1);
    String a = Counts.item(10);
    String b = Counts.item(10);
    String c = Counts.item(10);
    String d = Counts.item(10);
    String e = Counts.item(10);
    for (String sku : List.of(a, b, c, d, e)) {
      Api.stock(sku, location, "available", 10);
    }
    // a, b exact; c one short (approved): 2 of 3 within tolerance
    String first = Counts.start(location, Map.of(), a, b, c);
    Counts.results(first, Counts.line(a, 10), Counts.line(b, 10), Counts.line(c, 9))
        .statusCode(200);
    json().post("/api/v1/counts/{id}/approve", first).then().statusCode(200);
    // d five over, rejected: a rejected count says nothing about the record
    String second = Counts.start(location, Map.of(), d);
    Counts.results(second, Counts.line(d, 15)).statusCode(200);
    json().post("/api/v1/counts/{id}/reject", second).then().statusCode(200);
    // e exact: 3 of 4
    String third = Counts.start(location, Map.of(), e);
    Counts.results(third, Counts.line(e, 10)).statusCode(200);
    // an open count has no results yet and does not count
    Counts.start(location, Map.of(), d);

    json()
        .queryParam("location", location)
        .queryParam("from", from.toString())
        .queryParam("to", to.toString())
        .get("/api/v1/counts/accuracy")
        .then()
        .statusCode(200)
        .body("", hasSize(1))
        .body("[0].location", equalTo(location))
        .body("[0].countedSkus", equalTo(4))
        .body("[0].withinTolerance", equalTo(3))
        .body("[0].accuracy", equalTo(0.75f));
    // without a location: every location's, this one's among them
    List<Map<String, Object>> all =
        json()
            .queryParam("from", from.toString())
            .queryParam("to", to.toString())
            .get("/api/v1/counts/accuracy")
            .then()
            .statusCode(200)
            .extract()
            .path("");
    assertThat(all)
        .filteredOn(f -> location.equals(f.get("location")))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.get("countedSkus")).isEqualTo(4);
              assertThat(f.get("withinTolerance")).isEqualTo(3);
            });
    // a period after the counts: nothing counted
    json()
        .queryParam("location", location)
        .queryParam("from", to.toString())
        .queryParam("to", to.plusHours(1).toString())
        .get("/api/v1/counts/accuracy")
        .then()
        .statusCode(200)
        .body("[0].countedSkus", equalTo(0))
        .body("[0].accuracy", nullValue());

    // per SKU, for the metrics
    assertThat(accuracy.forSku(a, location, from, to).await().indefinitely())
        .isEqualTo(new CountAccuracy.Tally(1, 1));
    assertThat(accuracy.forSku(c, location, from, to).await().indefinitely())
        .isEqualTo(new CountAccuracy.Tally(1, 0));
    assertThat(accuracy.forSku(c, null, from, to).await().indefinitely().accuracy()).isEqualTo(0.0);
    assertThat(accuracy.forSku(d, location, from, to).await().indefinitely())
        .isEqualTo(new CountAccuracy.Tally(0, 0));
    assertThat(accuracy.forSku(a, Api.location(), from, to).await().indefinitely().accuracy())
        .isNull();

    // bad periods and unknown locations
    json()
        .queryParam("location", location)
        .queryParam("from", to.toString())
        .queryParam("to", from.toString())
        .get("/api/v1/counts/accuracy")
        .then()
        .statusCode(400)
        .body("errors[0].code", equalTo("BEFORE_FROM"));
    json()
        .queryParam("from", "yesterday")
        .queryParam("to", to.toString())
        .get("/api/v1/counts/accuracy")
        .then()
        .statusCode(400)
        .body("errors[0].code", equalTo("INVALID_TIME"));
    json().get("/api/v1/counts/accuracy").then().statusCode(400);
    json()
        .queryParam("location", "NOWHERE-" + location)
        .queryParam("from", from.toString())
        .queryParam("to", to.toString())
        .get("/api/v1/counts/accuracy")
        .then()
        .statusCode(404)
        .body("code", equalTo("LOCATION_NOT_FOUND"));
  }
}
