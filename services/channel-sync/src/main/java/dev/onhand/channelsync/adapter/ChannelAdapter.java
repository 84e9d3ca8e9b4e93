package dev.onhand.channelsync.adapter;

import io.smallrye.mutiny.Uni;
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
   * Reads back the channel's current quantities, by listing id, for reconciliation; a listing the
   * channel does not know is absent from the map.
   */
  Uni<Map<String, Long>> read(ChannelTarget channel, List<String> listingIds);
}
