package dev.onhand.returns.authorization;

import static dev.onhand.returns.support.Returns.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.platform.testing.Concurrently;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.StockService;
import dev.onhand.returns.support.Returns;
import dev.onhand.returns.support.Shipments;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Authorisations racing for the last shipped units never authorise more than shipped. */
@QuarkusTest
class ConcurrentAuthorizationsTest {

  @Test
  void twelveAuthorisationsForFiveShippedUnitsAuthoriseExactlyFive() throws Exception {
    String location = StockService.location();
    String sku = StockService.item();
    Shipments.Shipped order = Shipments.ship(location, sku, 5);

    List<Integer> statuses =
        Concurrently.run(
            12,
            i ->
                () ->
                    json()
                        .body(Returns.authorization(order.orderId(), sku, 1))
                        .post("/api/v1/returns")
                        .statusCode());
    assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(5);
    assertThat(statuses.stream().filter(s -> s == 422).count()).isEqualTo(7);
    assertThat(
            Jdbc.ofApplication()
                .scalar(
                    "SELECT sum(l.authorized) FROM customer_return r JOIN return_line l ON"
                        + " l.return_id = r.id WHERE r.order_id = ?::uuid",
                    order.orderId()))
        .isEqualTo(5);
  }
}
