package dev.onhand.receiving.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.platform.testing.Broker;
import dev.onhand.platform.testing.ServiceProcess;
import dev.onhand.platform.testing.StockService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a rolling upgrade relies on: a service (here a second stock instance, packaged as it ships;
 * every service shares the platform's relay and shutdown) stops cleanly on SIGTERM, and what it
 * committed just before is still published.
 */
@QuarkusTest
class GracefulShutdownTest {

  @Test
  void onSigtermAServiceStopsCleanlyAndPublishesWhatItCommitted() throws Exception {
    ServiceProcess stock =
        ServiceProcess.start(
            "stock", "stock-sigterm", Map.of("ONHAND_DB_NAME", "onhand_stock_test"));
    String code = StockService.unique("WH");
    int exit;
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.stock", "stock.location.changed")) {
      given()
          .baseUri(stock.url())
          .contentType(ContentType.JSON)
          .body(Map.of("name", "Last before shutdown", "type", "WAREHOUSE"))
          .put("/api/v1/locations/{code}", code)
          .then()
          .statusCode(201);
      exit = stock.stop();
      Broker.Received published =
          tap.await(r -> r.data().path("code").asText().equals(code), Duration.ofSeconds(10));
      assertThat(published.data().path("name").asText()).isEqualTo("Last before shutdown");
    }
    // the JVM ends by the signal (143) or by Quarkus' own exit (0), never by a crash
    assertThat(exit).isIn(0, 143);
    assertThat(stock.log()).contains("stopped in").doesNotContain("Exception");
  }
}
