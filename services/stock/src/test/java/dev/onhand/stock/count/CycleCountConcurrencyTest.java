package dev.onhand.stock.count;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.platform.testing.Concurrently;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Results posted at the same instant are recorded once: the variance is applied exactly once. */
@QuarkusTest
class CycleCountConcurrencyTest {

  @Test
  void resultsPostedTwiceAtOnceApplyOnce() throws Exception {
    for (int round = 0; round < 3; round++) {
      String location = Api.location();
      String sku = Counts.item(10);
      Api.stock(sku, location, "available", 10);
      String id = Counts.start(location, Map.of("toleranceUnits", 5), sku);
      Map<String, Object> body = Map.of("lines", List.of(Counts.line(sku, 8)));

      List<Response> answers =
          Concurrently.run(
              4,
              i ->
                  () ->
                      json()
                          .body(body)
                          .post("/api/v1/counts/{id}/results", id)
                          .then()
                          .extract()
                          .response());

      assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(1);
      assertThat(answers.stream().filter(r -> r.statusCode() == 409))
          .hasSize(3)
          .allSatisfy(r -> assertThat(r.jsonPath().getString("code")).isEqualTo("COUNT_NOT_OPEN"));
      assertThat(Api.quantity(sku, location, "available")).isEqualTo(8);
      assertThat(Counts.cycleCountEntries(sku)).isEqualTo(1);
      Db.assertLedgerMatchesBalances(sku);
    }
  }
}
