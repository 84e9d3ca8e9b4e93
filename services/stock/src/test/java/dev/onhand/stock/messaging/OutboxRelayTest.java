package dev.onhand.stock.messaging;

import static dev.onhand.stock.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.platform.outbox.OutboxRelay;
import dev.onhand.platform.testing.Broker;
import dev.onhand.stock.support.Api;
import dev.onhand.stock.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbox: a committed change's event is published even if the relay stopped in between. */
@QuarkusTest
class OutboxRelayTest {
  @Inject OutboxRelay relay;
  @Inject Pool pool;

  @ConfigProperty(name = "quarkus.datasource.reactive.max-size")
  int poolSize;

  @AfterEach
  void resume() {
    relay.resume();
  }

  @Test
  void eventsCommittedWhileTheRelayIsDownArePublishedOnceWhenItReturns() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    String subject = sku + "@" + location;
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.stock", "stock.inventory.changed")) {
      relay.pause(); // the relay is gone between the commit and the publish
      Api.stock(sku, location, "available", 3);
      Api.stock(sku, location, "damaged", 1);

      assertThat(
              Db.scalar(
                  "SELECT count(*) FROM outbox WHERE aggregate = ? AND type ="
                      + " 'stock.inventory.changed'",
                  subject))
          .as("both events wait in the outbox, committed with their changes")
          .isEqualTo(2);
      assertThat(tap.drain(Duration.ofMillis(800)))
          .filteredOn(r -> r.envelope().path("subject").asText().equals(subject))
          .isEmpty();

      relay.resume();
      var first =
          tap.await(
              r -> subject.equals(r.envelope().path("subject").asText()), Duration.ofSeconds(10));
      var second =
          tap.await(
              r -> subject.equals(r.envelope().path("subject").asText()), Duration.ofSeconds(10));
      assertThat(first.envelope().path("sequence").asLong()).isEqualTo(1);
      assertThat(second.envelope().path("sequence").asLong()).as("in commit order").isEqualTo(2);
      assertThat(second.data().path("quantities").path("damaged").asLong()).isEqualTo(1);
      assertThat(tap.drain(Duration.ofMillis(800)))
          .filteredOn(r -> r.envelope().path("subject").asText().equals(subject))
          .as("published once")
          .isEmpty();
      assertThat(Db.scalar("SELECT count(*) FROM outbox WHERE aggregate = ?", subject))
          .as("confirmed rows leave the outbox")
          .isZero();
    }
  }

  @Test
  void committedEventsArePublishedWhileEveryPooledConnectionIsTaken() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    String subject = sku + "@" + location;
    List<SqlConnection> taken = new ArrayList<>();
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.stock", "stock.inventory.changed")) {
      relay.pause();
      Api.stock(sku, location, "available", 3);
      // requests waiting for row locks hold the pool's connections: the relay must not need one
      for (int i = 0; i < poolSize; i++) {
        taken.add(pool.getConnection().await().atMost(Duration.ofSeconds(10)));
      }
      relay.resume();
      var published =
          tap.await(
              r -> subject.equals(r.envelope().path("subject").asText()), Duration.ofSeconds(5));
      assertThat(published.data().path("quantities").path("available").asLong()).isEqualTo(3);
    } finally {
      taken.forEach(c -> c.close().await().atMost(Duration.ofSeconds(5)));
    }
  }

  @Test
  void aPublishedMessageCarriesItsIdTypeTraceContextAndIsPersistent() throws Exception {
    String location = Api.location();
    String sku = Api.item();
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    try (Broker broker = new Broker();
        Broker.Tap tap = broker.tap("onhand.stock", "stock.inventory.changed")) {
      json()
          .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
          .body(
              Map.of(
                  "reason",
                  "found",
                  "lines",
                  List.of(
                      Map.of("sku", sku, "location", location, "state", "available", "delta", 2))))
          .post("/api/v1/inventory/adjustments")
          .then()
          .statusCode(201);

      var message =
          tap.await(
              r -> (sku + "@" + location).equals(r.envelope().path("subject").asText()),
              Duration.ofSeconds(10));
      assertThat(message.properties().getMessageId())
          .isEqualTo(message.envelope().path("id").asText());
      assertThat(message.properties().getType()).isEqualTo("stock.inventory.changed");
      assertThat(message.properties().getContentType()).isEqualTo("application/cloudevents+json");
      assertThat(message.properties().getDeliveryMode()).isEqualTo(2);
      assertThat(String.valueOf(message.properties().getHeaders().get("traceparent")))
          .as("the request's trace continues in the message")
          .contains(traceId);
      assertThat(message.envelope().path("source").asText()).isEqualTo("onhand/stock");
      assertThat(message.envelope().path("schemaversion").asInt()).isEqualTo(1);
    }
  }
}
