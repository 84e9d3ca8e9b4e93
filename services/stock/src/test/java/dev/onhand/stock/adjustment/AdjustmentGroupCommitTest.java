package dev.onhand.stock.adjustment;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.platform.testing.Concurrently;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Adjustments and moves sent together are posted in shared transactions (group commit). Each one
 * must still be all or nothing on its own: a refused one (negative balance, unknown SKU) changes
 * nothing and refuses no other, every accepted one has exactly its ledger entries, its response
 * shows the balances right after it (not after the whole batch), and balances equal the ledger.
 */
@QuarkusTest
class AdjustmentGroupCommitTest {
  private static final int REQUESTS = 48;

  @Test
  void concurrentMovementsAreEachAllOrNothingAndARefusalRefusesNoOther() throws Exception {
    String location = Api.location();
    String[] skus = {Api.item(), Api.item(), Api.item()};
    for (String sku : skus) {
      Api.stock(sku, location, "available", 100);
    }
    Map<String, Long> expectedAvailable = new HashMap<>();
    Map<String, Long> expectedDamaged = new HashMap<>();
    for (String sku : skus) {
      expectedAvailable.put(sku, 100L);
      expectedDamaged.put(sku, 0L);
    }

    boolean sharedTransactionSeen = false;
    // a round rarely posts everything one by one; another round makes it certain enough
    for (int round = 0; round < 3 && !sharedTransactionSeen; round++) {
      String run = Api.unique("gc");
      List<ExtractableResponse<Response>> responses =
          Concurrently.run(REQUESTS, i -> () -> send(run, i, skus, location));

      for (int i = 0; i < REQUESTS; i++) {
        ExtractableResponse<Response> response = responses.get(i);
        String sku = skus[i % skus.length];
        String next = skus[(i + 1) % skus.length];
        String reference = run + "-" + i;
        switch (i % 4) {
          case 0 -> { // two lines on two SKUs
            assertThat(response.statusCode()).as(response.body().asString()).isEqualTo(201);
            expectedAvailable.merge(sku, 2L, Long::sum);
            expectedAvailable.merge(next, -1L, Long::sum);
          }
          case 1 -> { // would go negative: refused, and its first (valid) line not applied
            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(response.<String>path("code")).isEqualTo("NEGATIVE_BALANCE");
          }
          case 2 -> { // names a SKU that does not exist beside a valid line
            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(response.<String>path("code")).isEqualTo("UNKNOWN_SKU");
          }
          default -> { // a move from available to damaged
            assertThat(response.statusCode()).as(response.body().asString()).isEqualTo(201);
            expectedAvailable.merge(sku, -1L, Long::sum);
            expectedDamaged.merge(sku, 1L, Long::sum);
          }
        }
        long entries = Db.scalar("SELECT count(*) FROM ledger WHERE reference = ?", reference);
        assertThat(entries).as(reference).isEqualTo(i % 4 == 0 || i % 4 == 3 ? 2 : 0);
        if (response.statusCode() == 201) {
          assertBalancesAreThoseRightAfterIt(response);
        }
      }
      long movements =
          Db.scalar(
              "SELECT count(DISTINCT movement_id) FROM ledger WHERE reference LIKE ?", run + "-%");
      long transactions =
          Db.scalar(
              "SELECT count(DISTINCT xmin::text) FROM ledger WHERE reference LIKE ?", run + "-%");
      assertThat(movements).isEqualTo(REQUESTS / 2);
      sharedTransactionSeen = transactions < movements;
    }
    assertThat(sharedTransactionSeen).as("some transaction posted several movements").isTrue();

    for (String sku : skus) {
      assertThat(Api.quantity(sku, location, "available")).isEqualTo(expectedAvailable.get(sku));
      assertThat(Api.quantity(sku, location, "damaged")).isEqualTo(expectedDamaged.get(sku));
      Db.assertLedgerMatchesBalances(sku);
    }
  }

  private static ExtractableResponse<Response> send(
      String run, int i, String[] skus, String location) {
    String sku = skus[i % skus.length];
    String next = skus[(i + 1) % skus.length];
    String reference = run + "-" + i;
    return switch (i % 4) {
      case 0 -> adjust(reference, line(sku, location, 2), line(next, location, -1));
      case 1 -> adjust(reference, line(sku, location, 1), line(next, location, -1_000_000));
      case 2 -> adjust(reference, line(sku, location, 1), line("NO-SUCH-" + run, location, 1));
      default ->
          json()
              .header("Idempotency-Key", reference)
              .body(
                  Map.of(
                      "reference",
                      reference,
                      "lines",
                      List.of(
                          Map.of(
                              "sku",
                              sku,
                              "location",
                              location,
                              "from",
                              "available",
                              "to",
                              "damaged",
                              "quantity",
                              1))))
              .post("/api/v1/inventory/moves")
              .then()
              .extract();
    };
  }

  @SafeVarargs
  private static ExtractableResponse<Response> adjust(
      String reference, Map<String, Object>... lines) {
    return json()
        .header("Idempotency-Key", reference)
        .body(Map.of("reason", "correction", "reference", reference, "lines", List.of(lines)))
        .post("/api/v1/inventory/adjustments")
        .then()
        .extract();
  }

  private static Map<String, Object> line(String sku, String location, long delta) {
    return Map.of("sku", sku, "location", location, "state", "available", "delta", delta);
  }

  /**
   * Each balance in the response is at the version (sequence) of this movement's last entry there.
   */
  private static void assertBalancesAreThoseRightAfterIt(ExtractableResponse<Response> response) {
    List<Map<String, Object>> entries = response.path("entries");
    List<Map<String, Object>> balances = response.path("balances");
    assertThat(balances).isNotEmpty();
    for (Map<String, Object> balance : balances) {
      long last =
          entries.stream()
              .filter(e -> e.get("sku").equals(balance.get("sku")))
              .mapToLong(e -> ((Number) e.get("sequence")).longValue())
              .max()
              .orElseThrow();
      assertThat(((Number) balance.get("version")).longValue())
          .as("balance of %s in %s", balance.get("sku"), response.body().asString())
          .isEqualTo(last);
      long available =
          entries.stream()
              .filter(
                  e ->
                      e.get("sku").equals(balance.get("sku")) && e.get("state").equals("available"))
              .mapToLong(e -> ((Number) e.get("balanceAfter")).longValue())
              .reduce((a, b) -> b)
              .orElse(((Number) balance.get("available")).longValue());
      assertThat(((Number) balance.get("available")).longValue()).isEqualTo(available);
    }
  }
}
