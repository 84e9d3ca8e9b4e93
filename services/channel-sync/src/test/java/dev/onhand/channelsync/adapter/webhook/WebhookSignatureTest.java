package dev.onhand.channelsync.adapter.webhook;

import static dev.onhand.channelsync.support.Channels.awaitApplied;
import static dev.onhand.channelsync.support.Channels.webhook;
import static dev.onhand.channelsync.support.Channels.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.channelsync.support.WebhookReceiver;
import dev.onhand.platform.signature.Signatures;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a webhook receiver gets: a JSON body it can verify with the channel's secret. */
@QuarkusTest
class WebhookSignatureTest {

  @Test
  void theBodyIsSignedWithTheChannelsSecretAndCarriesTheListing() throws Exception {
    String location = StockEvents.location();
    String sku = StockEvents.item();
    String code = StockEvents.unique("SIGNED");
    Channels.put(code, webhook(code, List.of(location)), 201);
    Channels.listing(code, sku, Map.of("listingId", "ext-" + sku));
    StockEvents.available(sku, location, 1, 12);

    WebhookReceiver.Received received = awaitApplied(code, sku, 12);
    assertThat(received.signature()).startsWith("sha256=");
    assertThat(Signatures.verify(Channels.SECRET, received.raw(), received.signature())).isTrue();
    assertThat(Signatures.verify("another-secret", received.raw(), received.signature())).isFalse();
    assertThat(received.body().path("channel").asText()).isEqualTo(code);
    assertThat(received.body().path("sku").asText()).isEqualTo(sku);
    assertThat(received.body().path("listingId").asText()).isEqualTo("ext-" + sku);
    assertThat(received.body().path("quantity").asLong()).isEqualTo(12);
    assertThat(received.body().path("version").asLong()).isPositive();
    assertThat(Instant.parse(received.body().path("occurredAt").asText())).isBefore(Instant.now());
    assertThat(received.idempotencyKey()).isNotBlank();
  }

  @Test
  void secretsAreReadJustBeforeUseFromTheEnvironmentOrAMountedSecret() throws Exception {
    String location = StockEvents.location();
    String sku = StockEvents.item();

    // env:ONHAND_CHANNEL_... (set for the tests by the pom)
    String fromEnv = StockEvents.unique("ENV");
    Channels.put(
        fromEnv,
        with(
            webhook(fromEnv, List.of(location)),
            "credentials",
            Map.of("secret", "env:ONHAND_CHANNEL_TEST_WEBHOOK_SECRET")),
        201);
    Channels.listing(fromEnv, sku);
    WebhookReceiver.Received signed = awaitApplied(fromEnv, sku, 0);
    assertThat(
            Signatures.verify(
                System.getenv("ONHAND_CHANNEL_TEST_WEBHOOK_SECRET"),
                signed.raw(),
                signed.signature()))
        .isTrue();

    // a rotated Secret signs the next push
    Path key = Path.of("target/channel-secrets/rotating/key");
    Files.createDirectories(key.getParent());
    Files.writeString(key, "first-secret\n");
    String rotating = StockEvents.unique("ROT");
    Channels.put(
        rotating,
        with(
            webhook(rotating, List.of(location)),
            "credentials",
            Map.of("secret", "secret:rotating/key")),
        201);
    Channels.listing(rotating, sku);
    WebhookReceiver.Received before = awaitApplied(rotating, sku, 0);
    assertThat(Signatures.verify("first-secret", before.raw(), before.signature())).isTrue();
    Files.writeString(key, "second-secret");
    StockEvents.available(sku, location, 1, 4);
    WebhookReceiver.Received after = awaitApplied(rotating, sku, 4);
    assertThat(Signatures.verify("second-secret", after.raw(), after.signature())).isTrue();
  }
}
