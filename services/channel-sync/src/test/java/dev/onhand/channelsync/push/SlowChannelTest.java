package dev.onhand.channelsync.push;

import static dev.onhand.channelsync.support.Channels.awaitApplied;
import static dev.onhand.channelsync.support.Channels.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.channelsync.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A channel that answers slowly does not hold back the pushes to another channel. */
@QuarkusTest
class SlowChannelTest {
  private static final Duration SLOW_ANSWER = Duration.ofSeconds(3);

  @Test
  void aFastChannelGetsNewQuantitiesWhileASlowChannelsPushIsInFlight() {
    String location = StockEvents.location();
    String slow = StockEvents.unique("SLOW");
    String fast = StockEvents.unique("FAST");
    Channels.put(slow, webhook(slow, List.of(location)), 201);
    Channels.put(fast, webhook(fast, List.of(location)), 201);
    String first = StockEvents.item();
    String second = StockEvents.item();
    Channels.listing(slow, first);
    Channels.listing(fast, first);
    Channels.listing(fast, second);
    // a new listing is pushed at once (nothing in stock yet); from then on the slow channel is slow
    awaitApplied(slow, first, 0);
    WebhookReceiver.get().answerAfter(slow, SLOW_ANSWER);

    StockEvents.sendAll(List.of(StockEvents.inventoryChanged(first, location, 1, 10)));
    awaitApplied(fast, first, 10);
    WebhookReceiver.Received slowPush =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> WebhookReceiver.get().received(slow),
                pushes -> pushes.stream().anyMatch(p -> p.quantity() == 10))
            .stream()
            .filter(p -> p.quantity() == 10)
            .findFirst()
            .orElseThrow();
    Instant slowAnswered = slowPush.at().plus(SLOW_ANSWER);

    // a change while the slow channel's push waits for its answer
    StockEvents.sendAll(List.of(StockEvents.inventoryChanged(second, location, 1, 20)));
    WebhookReceiver.Received fastPush = awaitApplied(fast, second, 20);

    assertThat(fastPush.at())
        .as("the fast channel's push of the second change, against the slow channel's answer")
        .isBefore(slowAnswered);
    awaitApplied(slow, first, 10);
    assertThat(WebhookReceiver.get().received(slow))
        .as("pushes to the slow channel: the new listing, then the change")
        .extracting(WebhookReceiver.Received::quantity)
        .containsExactly(0L, 10L);
  }
}
