package dev.onhand.channelsync.adapter.amazon;

import dev.onhand.channelsync.adapter.ChannelAdapter;
import dev.onhand.channelsync.adapter.ChannelTarget;
import dev.onhand.channelsync.adapter.ChannelType;
import dev.onhand.channelsync.adapter.PushResult;
import dev.onhand.channelsync.adapter.PushResult.Outcome;
import dev.onhand.channelsync.adapter.QuantityPush;
import dev.onhand.channelsync.adapter.http.ChannelCallException;
import dev.onhand.channelsync.adapter.http.ChannelHttp;
import dev.onhand.channelsync.adapter.http.TokenBucket;
import dev.onhand.channelsync.adapter.http.Turns;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * AMAZON through the Selling Partner API, Listings Items 2021-08-01: one {@code PATCH} per seller
 * SKU replacing {@code /attributes/fulfillment_availability} (channel DEFAULT, i.e. seller
 * fulfilled) with the quantity; read back with {@code GET
 * ...?includedData=fulfillmentAvailability}.
 *
 * <p>Limit honoured: patchListingsItem and getListingsItem each allow 5 requests per second with a
 * burst of 10 per selling partner. The adapter keeps a token bucket per channel and operation and
 * answers RETRY with the wait for a token instead of calling; a push told to wait is promised its
 * turn in the channel's {@link Turns}, across batches, and goes when it comes back then. The rate
 * follows the x-amzn-RateLimit-Limit header Amazon sends, and a 429 empties the bucket (held
 * through any Retry-After).
 *
 * <p>Settings: {@code amazonSellerId}, {@code amazonMarketplaceId}, {@code amazonProductType}
 * (default PRODUCT); credential {@code accessToken}, an LWA access token: refreshing it from the
 * refresh token is not done here, whoever resolves the credentials must hand over a live one.
 */
@ApplicationScoped
public class AmazonAdapter implements ChannelAdapter {

  /** The documented default limit of patchListingsItem and getListingsItem. */
  static final double RATE = 5;

  static final int BURST = 10;

  static final int READ_ATTEMPTS = 8;

  static final String RATE_LIMIT_HEADER = "x-amzn-RateLimit-Limit";

  private final ChannelHttp http;
  private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Turns> patchTurns = new ConcurrentHashMap<>();

  @Inject
  public AmazonAdapter(ChannelHttp http) {
    this.http = http;
  }

  @Override
  public ChannelType type() {
    return ChannelType.AMAZON;
  }

  @Override
  public Uni<List<PushResult>> push(ChannelTarget channel, List<QuantityPush> pushes) {
    if (pushes.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    Seller seller;
    try {
      seller = new Seller(channel);
    } catch (IllegalStateException misconfigured) {
      return Uni.createFrom()
          .item(ChannelHttp.all(pushes, Outcome.REJECTED, null, 0, misconfigured.getMessage()));
    }
    Turns turns =
        patchTurns.computeIfAbsent(
            channel.code(), ignored -> new Turns(new TokenBucket(BURST, RATE)));
    return Multi.createFrom()
        .iterable(pushes)
        .onItem()
        .transformToUniAndConcatenate(
            push -> {
              Duration wait = turns.take(push.sku());
              if (!wait.isZero()) {
                return Uni.createFrom()
                    .item(
                        new PushResult(
                            push.sku(),
                            Outcome.RETRY,
                            wait,
                            0,
                            "rate limit: " + turns.bucket().rate() + " requests/s per seller"));
              }
              return patch(seller, turns, push);
            })
        .collect()
        .asList();
  }

  private Uni<PushResult> patch(Seller seller, Turns turns, QuantityPush push) {
    JsonObject body =
        new JsonObject()
            .put("productType", seller.productType)
            .put(
                "patches",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("op", "replace")
                            .put("path", "/attributes/fulfillment_availability")
                            .put(
                                "value",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("fulfillment_channel_code", "DEFAULT")
                                            .put("quantity", push.quantity())))));
    return seller
        .request(HttpMethod.PATCH, push.listingId())
        .sendJsonObject(body)
        .map(response -> patched(turns, push, response))
        .onFailure()
        .recoverWithItem(
            failure -> new PushResult(push.sku(), Outcome.RETRY, null, 0, "no answer: " + failure));
  }

  private PushResult patched(Turns turns, QuantityPush push, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String text = ChannelHttp.body(response);
    String excerpt = ChannelHttp.excerpt(text);
    followRate(turns.bucket(), response);
    if (status == 429) {
      // the promised turns move back behind Amazon's pause, and this SKU queues after them
      turns.hold(pause(response));
      return new PushResult(push.sku(), Outcome.RETRY, turns.promise(push.sku()), status, excerpt);
    }
    if (status >= 500) {
      Duration retryAfter = ChannelHttp.retryAfter(response.getHeader("Retry-After"));
      return new PushResult(push.sku(), Outcome.RETRY, retryAfter, status, excerpt);
    }
    if (status != 200) {
      // 400 invalid input, 403 token or seller, 404 unknown SKU, 413/415: retrying cannot heal
      return new PushResult(push.sku(), Outcome.REJECTED, null, status, excerpt);
    }
    String submission;
    try {
      submission = new JsonObject(text).getString("status");
    } catch (DecodeException | ClassCastException unreadable) {
      return new PushResult(push.sku(), Outcome.RETRY, null, status, excerpt);
    }
    if ("ACCEPTED".equals(submission)) {
      return new PushResult(push.sku(), Outcome.APPLIED, null, status, excerpt);
    }
    if ("INVALID".equals(submission)) {
      return new PushResult(push.sku(), Outcome.REJECTED, null, status, excerpt);
    }
    return new PushResult(push.sku(), Outcome.RETRY, null, status, excerpt);
  }

  /** Follows the rate Amazon announces on every answer. */
  private static void followRate(TokenBucket bucket, HttpResponse<Buffer> response) {
    String limit = response.getHeader(RATE_LIMIT_HEADER);
    if (limit != null) {
      try {
        double rate = Double.parseDouble(limit.trim());
        if (rate > 0 && rate != bucket.rate()) {
          bucket.rate(rate);
        }
      } catch (NumberFormatException unreadable) {
        // keep the rate we have
      }
    }
  }

  /** How long a 429 holds the bucket empty: its Retry-After, else nothing beyond emptying it. */
  private static Duration pause(HttpResponse<Buffer> response) {
    Duration retryAfter = ChannelHttp.retryAfter(response.getHeader("Retry-After"));
    return retryAfter == null ? Duration.ZERO : retryAfter;
  }

  @Override
  public Uni<Map<String, Long>> read(ChannelTarget channel, List<String> listingIds) {
    Seller seller;
    try {
      seller = new Seller(channel);
    } catch (IllegalStateException misconfigured) {
      return Uni.createFrom().failure(misconfigured);
    }
    TokenBucket bucket = bucket(channel, "get");
    return Multi.createFrom()
        .iterable(listingIds)
        .onItem()
        .transformToUniAndConcatenate(sku -> get(seller, bucket, sku, READ_ATTEMPTS))
        .collect()
        .in(
            LinkedHashMap<String, Long>::new,
            (found, entry) -> {
              if (entry.quantity != null) {
                found.put(entry.sku, entry.quantity);
              }
            })
        .map(found -> (Map<String, Long>) found);
  }

  private record Found(String sku, Long quantity) {}

  private Uni<Found> get(Seller seller, TokenBucket bucket, String sku, int attempts) {
    Duration wait = bucket.take(1);
    if (!wait.isZero()) {
      return ChannelHttp.later(wait, () -> get(seller, bucket, sku, attempts));
    }
    return seller
        .request(HttpMethod.GET, sku)
        .addQueryParam("includedData", "fulfillmentAvailability")
        .send()
        .flatMap(
            response -> {
              int status = response.statusCode();
              String text = ChannelHttp.body(response);
              followRate(bucket, response);
              if (status == 429) {
                bucket.hold(pause(response));
              }
              if (status == 404) {
                return Uni.createFrom().item(new Found(sku, null));
              }
              if (status == 429 && attempts > 1) {
                return ChannelHttp.later(
                    bucket.waitFor(1), () -> get(seller, bucket, sku, attempts - 1));
              }
              if (status != 200) {
                return Uni.createFrom()
                    .failure(new ChannelCallException(seller.code, status, text));
              }
              try {
                return Uni.createFrom().item(new Found(sku, quantity(new JsonObject(text))));
              } catch (DecodeException | ClassCastException unreadable) {
                return Uni.createFrom()
                    .failure(new ChannelCallException(seller.code, status, text));
              }
            });
  }

  /** The DEFAULT (seller-fulfilled) channel's quantity, else the first one listed. */
  private static Long quantity(JsonObject item) {
    JsonArray availability = item.getJsonArray("fulfillmentAvailability");
    if (availability == null || availability.isEmpty()) {
      return null;
    }
    JsonObject chosen = availability.getJsonObject(0);
    for (int i = 0; i < availability.size(); i++) {
      JsonObject entry = availability.getJsonObject(i);
      if ("DEFAULT".equals(entry.getString("fulfillmentChannelCode"))) {
        chosen = entry;
        break;
      }
    }
    Number quantity = chosen.getNumber("quantity");
    return quantity == null ? null : quantity.longValue();
  }

  private TokenBucket bucket(ChannelTarget channel, String operation) {
    return buckets.computeIfAbsent(
        channel.code() + "/" + operation, ignored -> new TokenBucket(BURST, RATE));
  }

  /** One channel's seller, marketplace and token, resolved once per push or read. */
  private final class Seller {
    final String code;
    final String items;
    final String marketplace;
    final String token;
    final String productType;

    Seller(ChannelTarget channel) {
      this.code = channel.code();
      this.items =
          ChannelHttp.base(channel.endpoint())
              + "/listings/2021-08-01/items/"
              + ChannelHttp.segment(channel.setting("amazonSellerId"))
              + "/";
      this.marketplace = channel.setting("amazonMarketplaceId");
      this.token = channel.credential("accessToken");
      this.productType = channel.settings().getOrDefault("amazonProductType", "PRODUCT");
    }

    HttpRequest<Buffer> request(HttpMethod method, String sku) {
      return http.request(method, items + ChannelHttp.segment(sku))
          .addQueryParam("marketplaceIds", marketplace)
          .putHeader("x-amz-access-token", token)
          .putHeader("Accept", "application/json");
    }
  }
}
