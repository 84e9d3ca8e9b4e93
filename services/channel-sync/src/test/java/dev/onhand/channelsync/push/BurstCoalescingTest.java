package dev.onhand.channelsync.push;

import static dev.onhand.channelsync.support.Channels.awaitApplied;
import static dev.onhand.channelsync.support.Channels.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.channelsync.support.Channels;
import dev.onhand.channelsync.support.StockEvents;
import dev.onhand.channelsync.support.WebhookReceiver;
import dev.onhand.platform.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A burst of changes to one SKU leaves as a few pushes, the last carrying the final quantity. */
@QuarkusTest
class BurstCoalescingTest {

  @Test
  void aHundredChangesOfOneSkuArePushedAFewTimesInVersionOrderEndingAtTheLast() {
    String location = StockEvents.location();
    String sku = StockEvents.item();
    String code = StockEvents.unique("BURST");
    Channels.put(code, webhook(code, List.of(location)), 201);
    Channels.listing(code, sku);

    List<Map<String, Object>> burst = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      burst.add(StockEvents.inventoryChanged(sku, location, i, 1000 + i));
    }
    StockEvents.sendAll(burst);
    awaitApplied(code, sku, 1100);

    List<WebhookReceiver.Received> pushes = WebhookReceiver.get().received(code);
    assertThat(pushes).as("pushes for 100 changes").hasSizeLessThanOrEqualTo(10);
    assertThat(pushes.stream().map(WebhookReceiver.Received::version))
        .as("versions, as the channel received them")
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(pushes.stream().map(WebhookReceiver.Received::quantity))
        .as("no stale quantity ever follows a newer one")
        .isSorted();
    assertThat(pushes.get(pushes.size() - 1).quantity()).isEqualTo(1100);
    // every push is recorded
    assertThat(
            Jdbc.ofApplication()
                .scalar(
                    "SELECT count(*) FROM push_record WHERE channel = ? AND sku = ? AND outcome ="
                        + " 'APPLIED'",
                    code,
                    sku))
        .isEqualTo(pushes.size());
  }
}
