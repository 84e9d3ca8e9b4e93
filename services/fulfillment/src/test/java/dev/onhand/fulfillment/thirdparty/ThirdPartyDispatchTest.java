package dev.onhand.fulfillment.thirdparty;

import static dev.onhand.fulfillment.support.Orders.awaitAvailable;
import static dev.onhand.fulfillment.support.Orders.awaitStatus;
import static dev.onhand.fulfillment.support.Orders.json;
import static dev.onhand.fulfillment.support.Orders.order;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.fulfillment.support.Orders;
import dev.onhand.fulfillment.support.ThirdPartyStub;
import dev.onhand.platform.signature.Signatures;
import dev.onhand.platform.testing.Jdbc;
import dev.onhand.platform.testing.StockService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Orders reserved at a 3PL's location are sent to it, signed, until it accepts them. */
@QuarkusTest
@QuarkusTestResource(ThirdPartyStub.class)
class ThirdPartyDispatchTest {

  @Test
  void anOrderAllocatedToAThirdPartyIsSentSignedRetriedAndItsShipmentConfirmedBack()
      throws Exception {
    String location = ThirdPartyStub.LOCATION;
    given()
        .baseUri(StockService.url())
        .contentType("application/json")
        .body(Map.of("name", "Test 3PL", "type", "THIRD_PARTY"))
        .put("/api/v1/locations/{code}", location)
        .then()
        .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    Jdbc db = Jdbc.ofApplication();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> db.scalar("SELECT count(*) FROM known_location WHERE code = ?", location) == 1);
    String sku = StockService.item();
    StockService.adjust(sku, location, "available", 5);
    awaitAvailable(sku, location, 5);

    String id = Orders.place(order(Orders.channel(true, location), sku, 2));
    awaitStatus(id, "ALLOCATED");
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                json()
                    .get("/api/v1/orders/{id}", id)
                    .then()
                    .body("allocations[0].thirdPartyDispatch", equalTo("SENT")));

    List<ThirdPartyStub.Received> attempts =
        ThirdPartyStub.RECEIVED.stream().filter(r -> r.body().contains(id)).toList();
    assertThat(attempts).extracting(ThirdPartyStub.Received::answered).containsExactly(503, 202);
    ThirdPartyStub.Received accepted = attempts.get(1);
    assertThat(accepted.signature())
        .isEqualTo(
            Signatures.header(
                ThirdPartyStub.SECRET, accepted.body().getBytes(StandardCharsets.UTF_8)));
    assertThat(accepted.idempotencyKey()).isEqualTo(attempts.get(0).idempotencyKey());
    JsonNode sent = new ObjectMapper().readTree(accepted.body());
    assertThat(sent.path("orderId").asText()).isEqualTo(id);
    assertThat(sent.path("location").asText()).isEqualTo(location);
    assertThat(sent.path("lines").get(0).path("sku").asText()).isEqualTo(sku);
    assertThat(sent.path("lines").get(0).path("quantity").asLong()).isEqualTo(2);
    assertThat(sent.path("shipTo").path("name").asText()).isEqualTo("Ada Lovelace");

    // the 3PL confirms the shipment where the order told it to
    json()
        .body(
            Map.of(
                "location",
                location,
                "carrier",
                "3PL Express",
                "lines",
                List.of(Map.of("sku", sku, "quantity", 2))))
        .post(sent.path("confirmShipmentsTo").asText())
        .then()
        .statusCode(201)
        .body("status", equalTo("SHIPPED"));
    StockService.awaitQuantity(sku, location, "committed", 0);
    assertThat(StockService.quantity(sku, location, "available")).isEqualTo(3);
  }
}
