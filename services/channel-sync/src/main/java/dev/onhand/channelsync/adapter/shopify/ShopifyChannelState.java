package dev.onhand.channelsync.adapter.shopify;

import dev.onhand.channelsync.adapter.http.TokenBucket;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the adapter knows of one Shopify channel: its calculated-cost bucket as Shopify last
 * reported it (every answer carries extensions.cost.throttleStatus), the cost each kind of call was
 * last charged, and which idempotency keys ended in a failed attempt (Shopify refuses to run a key
 * whose first attempt failed, so a new attempt of the same content needs a new key).
 */
final class ShopifyChannelState {

  /** Shopify's documented cost of a mutation; used until Shopify reports a real one. */
  static final double DEFAULT_COST = 10;

  private static final int REMEMBERED_FAILURES = 4096;

  /** Null until Shopify reports the bucket: the first call goes out to learn it. */
  private TokenBucket bucket;

  private final Map<Boolean, Double> costs = new LinkedHashMap<>();

  private final Map<String, Integer> failedAttempts =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
          return size() > REMEMBERED_FAILURES;
        }
      };

  /** Takes the estimated cost of the next call from the bucket, or answers how long to wait. */
  synchronized Duration reserve(boolean read) {
    return bucket == null ? Duration.ZERO : bucket.take(cost(read));
  }

  synchronized double cost(boolean read) {
    return costs.getOrDefault(read, DEFAULT_COST);
  }

  /** Takes in the bucket and the cost Shopify reported in an answer's extensions. */
  synchronized void observe(JsonObject extensions, boolean read) {
    JsonObject cost = extensions == null ? null : extensions.getJsonObject("cost");
    if (cost == null) {
      return;
    }
    Number requested = cost.getNumber("requestedQueryCost");
    if (requested != null && requested.doubleValue() > 0) {
      costs.put(read, requested.doubleValue());
    }
    JsonObject status = cost.getJsonObject("throttleStatus");
    if (status == null
        || status.getNumber("maximumAvailable") == null
        || status.getNumber("currentlyAvailable") == null
        || status.getNumber("restoreRate") == null) {
      return;
    }
    double maximum = status.getNumber("maximumAvailable").doubleValue();
    double available = status.getNumber("currentlyAvailable").doubleValue();
    double restoreRate = status.getNumber("restoreRate").doubleValue();
    if (maximum <= 0 || restoreRate <= 0) {
      return;
    }
    if (bucket == null) {
      bucket = new TokenBucket(maximum, restoreRate);
    }
    bucket.observe(maximum, available, restoreRate);
  }

  /** The time the bucket takes to restore one mutation's cost; zero until Shopify reports it. */
  synchronized Duration pace() {
    return bucket == null || bucket.rate() <= 0
        ? Duration.ZERO
        : Duration.ofNanos((long) (cost(false) / bucket.rate() * 1e9));
  }

  /** The wait until the bucket holds what the call needs; null when Shopify did not say. */
  synchronized Duration deficit(boolean read) {
    return bucket == null ? null : bucket.waitFor(cost(read));
  }

  /** The key for an attempt at this content: the content's key, renewed after each failure. */
  synchronized String key(String contentKey) {
    Integer failures = failedAttempts.get(contentKey);
    return failures == null ? contentKey : contentKey + "-" + failures;
  }

  /** The attempt under {@link #key} failed at Shopify, so the next one needs another key. */
  synchronized void failed(String contentKey) {
    failedAttempts.merge(contentKey, 1, Integer::sum);
  }
}
