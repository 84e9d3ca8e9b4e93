package dev.onhand.channelsync.push;

import static dev.onhand.channelsync.support.Channels.webhook;
import static org.awaitility.Awaitility.await;

import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.channelsync.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A committed stock change wakes the push worker: with its poll slowed to once a minute, the new
 * quantity still reaches the channel within seconds.
 */
@QuarkusTest
@TestProfile(WakeUpTest.SlowPoll.class)
class WakeUpTest {
  public static class SlowPoll implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("onhand.channel-sync.push.interval", "PT60S");
    }
  }

  @Test
  void stockChangesArePushedLongBeforeTheNextPoll() {
    String location = StockEvents.location();
    String code = StockEvents.unique("WAKE");
    Channels.put(code, webhook(code, List.of(location)), 201);
    // one change per SKU: a second change of one SKU within the coalescing window would wait for
    // the window's end and then for the next poll
    for (int i = 1; i <= 3; i++) {
      String sku = StockEvents.item();
      Channels.listing(code, sku);
      long available = 10L * i;
      StockEvents.sendAll(List.of(StockEvents.inventoryChanged(sku, location, 1, available)));
      // the poll would come a minute after the last round; the wake-up comes within milliseconds
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  WebhookReceiver.get().applied(code).stream()
                      .anyMatch(
                          r ->
                              r.body().path("sku").asText().equals(sku)
                                  && r.quantity() == available));
    }
  }
}
