package dev.onhand.channelsync.adapter;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Speaks one channel type's real API. An adapter honours that API's limits itself (it answers
 * {@link PushResult.Outcome#RETRY} with the wait the channel asked for instead of calling while
 * throttled); coalescing, the version check, retries with backoff and dead-lettering live in the
 * push pipeline, once for every channel type.
 */
public interface ChannelAdapter {

  ChannelType type();

  /** Sets each SKU's quantity on the channel; one result per push, in any order. */
  Uni<List<PushResult>> push(ChannelTarget channel, List<QuantityPush> pushes);

  /**
   * The least time between the starts of two pushes to the channel that its limits sustain, as the
   * adapter knows them now. A channel that charges per call (Shopify's cost bucket) is best pushed
   * no more often than that: the changes meanwhile gather into one call instead of small calls that
   * drain the bucket and then wait. Zero (the default): push as soon as changes come.
   */
  default Duration pace(ChannelTarget channel) {
    return Duration.ZERO;
  }

  /**
   * Reads back the channel's current quantities, by listing id, for reconciliation; a listing the
   * channel does not know is absent from the map.
   */
  Uni<Map<String, Long>> read(ChannelTarget channel, List<String> listingIds);
}
