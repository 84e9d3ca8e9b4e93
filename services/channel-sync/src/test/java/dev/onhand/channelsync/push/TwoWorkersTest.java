package dev.onhand.channelsync.push;

import static dev.onhand.channelsync.support.Channels.awaitApplied;
import static dev.onhand.channelsync.support.Channels.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.channelsync.channel.ChannelRepository;
import dev.onhand.channelsync.channel.CredentialReferences;
import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.channelsync.support.WebhookReceiver;
import dev.onhand.platform.tx.Transactions;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Two replicas' workers push the same channel at once, and no version is pushed twice. */
@QuarkusTest
class TwoWorkersTest {
  @Inject Pool pool;
  @Inject Transactions transactions;
  @Inject PushRepository pushes;
  @Inject ChannelRepository channels;
  @Inject ChannelAdapters adapters;
  @Inject CredentialReferences credentials;
  @Inject MeterRegistry registry;
  @Inject Vertx vertx;

  @Test
  void aSecondWorkerNeverPushesARowTheFirstHolds() {
    // another replica: the same code, its own loop, no timer of its own
    PushWorker replica =
        new PushWorker(
            pool,
            transactions,
            pushes,
            channels,
            adapters,
            credentials,
            registry,
            vertx,
            false,
            Duration.ofMillis(10),
            200,
            5,
            6,
            Duration.ofMillis(50),
            Duration.ofMillis(400),
            Duration.ofMinutes(2),
            Duration.ofSeconds(30),
            Duration.ofMillis(200),
            Duration.ofDays(7),
            Duration.ofMillis(20));
    String location = StockEvents.location();
    String code = StockEvents.unique("REPLICAS");
    Channels.put(code, webhook(code, List.of(location)), 201);
    List<String> skus = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String sku = StockEvents.item();
      skus.add(sku);
      Channels.listing(code, sku);
    }

    AtomicInteger claimedByReplica = new AtomicInteger();
    CompletableFuture<Void> competing =
        CompletableFuture.runAsync(
            () -> {
              long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
              while (System.nanoTime() < until) {
                claimedByReplica.addAndGet(replica.round().await().atMost(Duration.ofSeconds(30)));
              }
            });
    List<Map<String, Object>> changes = new ArrayList<>();
    for (int round = 1; round <= 5; round++) {
      for (String sku : skus) {
        changes.add(StockEvents.inventoryChanged(sku, location, round, round * 10L));
      }
    }
    StockEvents.sendAll(changes);
    competing.join();
    for (String sku : skus) {
      awaitApplied(code, sku, 50);
    }

    Map<String, Long> perVersion =
        WebhookReceiver.get().received(code).stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.body().path("sku").asText() + "#" + r.version(), Collectors.counting()));
    assertThat(claimedByReplica.get()).as("rows the second worker pushed").isPositive();
    assertThat(perVersion.values()).as("pushes of each (SKU, version)").containsOnly(1L);
  }
}
