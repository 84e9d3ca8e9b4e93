package dev.onhand.channelsync.adapter.walmart;

import dev.onhand.channelsync.adapter.ChannelAdapter;
import dev.onhand.channelsync.adapter.ChannelTarget;
import dev.onhand.channelsync.adapter.ChannelType;
import dev.onhand.channelsync.adapter.PushResult;
import dev.onhand.channelsync.adapter.PushResult.Outcome;
import dev.onhand.channelsync.adapter.QuantityPush;
import dev.onhand.channelsync.adapter.http.ChannelCallException;
import dev.onhand.channelsync.adapter.http.ChannelHttp;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WALMART through the Marketplace Inventory API: one {@code PUT /v3/inventory?sku=&shipNode=} per
 * SKU with the quantity in EACH units at the channel's ship node; read back with {@code GET} on the
 * same resource.
 *
 * <p>Limit honoured: Walmart throttles per seller and answers 429 with Retry-After (seconds). The
 * adapter then holds the whole channel until that time has passed, answering RETRY with the
 * remaining wait instead of calling, and lets the next push through after it.
 *
 * <p>Settings: {@code walmartShipNode}; credential {@code accessToken} (the token from Walmart's
 * token API; fetching and renewing it is not done here). WM_QOS.CORRELATION_ID carries the push's
 * idempotency key, so Walmart's logs and Onhand's push record name the same attempt.
 */
@ApplicationScoped
public class WalmartAdapter implements ChannelAdapter {

  /** The wait after a 429 that named none. */
  static final Duration DEFAULT_PAUSE = Duration.ofSeconds(1);

  static final int READ_ATTEMPTS = 8;

  private final ChannelHttp http;

  /** Per channel: System.nanoTime() before which nothing is sent (Walmart asked for a pause). */
  private final ConcurrentMap<String, AtomicLong> heldUntil = new ConcurrentHashMap<>();

  @Inject
  public WalmartAdapter(ChannelHttp http) {
    this.http = http;
  }

  @Override
  public ChannelType type() {
    return ChannelType.WALMART;
  }

  @Override
  public Uni<List<PushResult>> push(ChannelTarget channel, List<QuantityPush> pushes) {
    if (pushes.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    Node node;
    try {
      node = new Node(channel);
    } catch (IllegalStateException misconfigured) {
      return Uni.createFrom()
          .item(ChannelHttp.all(pushes, Outcome.REJECTED, null, 0, misconfigured.getMessage()));
    }
    return Multi.createFrom()
        .iterable(pushes)
        .onItem()
        .transformToUniAndConcatenate(
            push -> {
              Duration wait = node.held();
              if (!wait.isZero()) {
                return Uni.createFrom()
                    .item(
                        new PushResult(
                            push.sku(), Outcome.RETRY, wait, 0, "held: Walmart asked to wait"));
              }
              return put(node, push);
            })
        .collect()
        .asList();
  }

  private Uni<PushResult> put(Node node, QuantityPush push) {
    JsonObject body =
        new JsonObject()
            .put("sku", push.listingId())
            .put("quantity", new JsonObject().put("unit", "EACH").put("amount", push.quantity()));
    return node.request(HttpMethod.PUT, push.listingId(), push.idempotencyKey())
        .putHeader("Content-Type", "application/json")
        .sendJsonObject(body)
        .map(response -> answered(node, push, response))
        .onFailure()
        .recoverWithItem(
            failure -> new PushResult(push.sku(), Outcome.RETRY, null, 0, "no answer: " + failure));
  }

  private static PushResult answered(Node node, QuantityPush push, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String excerpt = ChannelHttp.excerpt(ChannelHttp.body(response));
    if (status == 200) {
      return new PushResult(push.sku(), Outcome.APPLIED, null, status, excerpt);
    }
    if (status == 429) {
      return new PushResult(push.sku(), Outcome.RETRY, node.hold(response), status, excerpt);
    }
    if (status >= 500) {
      Duration retryAfter = ChannelHttp.retryAfter(response.getHeader("Retry-After"));
      return new PushResult(push.sku(), Outcome.RETRY, retryAfter, status, excerpt);
    }
    // 400 content, 401 token, 403, 404 unknown SKU or ship node: retrying cannot heal
    return new PushResult(push.sku(), Outcome.REJECTED, null, status, excerpt);
  }

  @Override
  public Uni<Map<String, Long>> read(ChannelTarget channel, List<String> listingIds) {
    Node node;
    try {
      node = new Node(channel);
    } catch (IllegalStateException misconfigured) {
      return Uni.createFrom().failure(misconfigured);
    }
    return Multi.createFrom()
        .iterable(listingIds)
        .onItem()
        .transformToUniAndConcatenate(sku -> get(node, sku, READ_ATTEMPTS))
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

  private Uni<Found> get(Node node, String sku, int attempts) {
    Duration wait = node.held();
    if (!wait.isZero()) {
      return ChannelHttp.later(wait, () -> get(node, sku, attempts));
    }
    return node.request(HttpMethod.GET, sku, UUID.randomUUID().toString())
        .send()
        .flatMap(
            response -> {
              int status = response.statusCode();
              String text = ChannelHttp.body(response);
              if (status == 404) {
                return Uni.createFrom().item(new Found(sku, null));
              }
              if (status == 429 && attempts > 1) {
                return ChannelHttp.later(node.hold(response), () -> get(node, sku, attempts - 1));
              }
              if (status != 200) {
                return Uni.createFrom().failure(new ChannelCallException(node.code, status, text));
              }
              try {
                JsonObject quantity = new JsonObject(text).getJsonObject("quantity");
                Number amount = quantity == null ? null : quantity.getNumber("amount");
                return Uni.createFrom()
                    .item(new Found(sku, amount == null ? null : amount.longValue()));
              } catch (DecodeException | ClassCastException unreadable) {
                return Uni.createFrom().failure(new ChannelCallException(node.code, status, text));
              }
            });
  }

  /** One channel's ship node, token and hold, resolved once per push or read. */
  private final class Node {
    final String code;
    final String inventory;
    final String shipNode;
    final String token;
    final AtomicLong until;

    Node(ChannelTarget channel) {
      this.code = channel.code();
      this.inventory = ChannelHttp.base(channel.endpoint()) + "/v3/inventory";
      this.shipNode = channel.setting("walmartShipNode");
      this.token = channel.credential("accessToken");
      this.until = heldUntil.computeIfAbsent(code, ignored -> new AtomicLong(System.nanoTime()));
    }

    HttpRequest<Buffer> request(HttpMethod method, String sku, String correlationId) {
      return http.request(method, inventory)
          .addQueryParam("sku", sku)
          .addQueryParam("shipNode", shipNode)
          .putHeader("WM_SEC.ACCESS_TOKEN", token)
          .putHeader("WM_QOS.CORRELATION_ID", correlationId)
          .putHeader("WM_SVC.NAME", "Onhand")
          .putHeader("Accept", "application/json");
    }

    /** The wait left before the channel may be called again; zero when it may now. */
    Duration held() {
      long left = until.get() - System.nanoTime();
      return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** Holds the channel for the Retry-After of a 429 and answers that wait. */
    Duration hold(HttpResponse<Buffer> response) {
      Duration retryAfter = ChannelHttp.retryAfter(response.getHeader("Retry-After"));
      Duration pause = retryAfter == null ? DEFAULT_PAUSE : retryAfter;
      long end = System.nanoTime() + pause.toNanos();
      until.accumulateAndGet(
          end, (current, proposed) -> current - proposed > 0 ? current : proposed);
      return pause;
    }
  }
}
