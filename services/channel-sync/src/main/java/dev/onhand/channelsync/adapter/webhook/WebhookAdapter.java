package dev.onhand.channelsync.adapter.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.channelsync.adapter.ChannelAdapter;
import dev.onhand.channelsync.adapter.ChannelTarget;
import dev.onhand.channelsync.adapter.ChannelType;
import dev.onhand.channelsync.adapter.PushResult;
import dev.onhand.channelsync.adapter.QuantityPush;
import dev.onhand.channelsync.adapter.http.ChannelHttp;
import dev.onhand.platform.signature.Signatures;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * GENERIC_WEBHOOK: a signed JSON POST per SKU to the channel's endpoint, {@code {channel, sku,
 * listingId, quantity, version, occurredAt}}, with {@code X-Onhand-Signature: sha256=<hex>}
 * (HMAC-SHA256 over the raw body with the channel's {@code secret}) and {@code Idempotency-Key}
 * (the same for every retry of one version). A receiver keeps the highest version per SKU and
 * ignores lower ones. 2xx is APPLIED; 429, 408, 5xx and a failed connection are RETRY (after the
 * receiver's Retry-After, during which nothing more is sent to it); any other answer is REJECTED. A
 * webhook cannot be read back, so reconciliation has nothing to compare for it.
 */
@ApplicationScoped
public class WebhookAdapter implements ChannelAdapter {
  public static final String SECRET = "secret";

  private final ChannelHttp http;
  private final ObjectMapper mapper;
  private final int concurrency;
  // a receiver that asked to wait is not called until then (per channel code)
  private final Map<String, Instant> quietUntil = new ConcurrentHashMap<>();

  public WebhookAdapter(
      ChannelHttp http,
      ObjectMapper mapper,
      // calls in flight per batch: at 4, a batch of 50 waited out 13 round trips of a busy receiver
      @ConfigProperty(name = "onhand.channel-sync.webhook.concurrency", defaultValue = "16")
          int concurrency) {
    this.http = http;
    this.mapper = mapper;
    this.concurrency = Math.max(1, concurrency);
  }

  @Override
  public ChannelType type() {
    return ChannelType.GENERIC_WEBHOOK;
  }

  @Override
  public Uni<List<PushResult>> push(ChannelTarget channel, List<QuantityPush> pushes) {
    String secret = channel.credential(SECRET);
    return Multi.createFrom()
        .iterable(pushes)
        .onItem()
        .transformToUni(push -> send(channel, secret, push))
        .merge(concurrency)
        .collect()
        .asList();
  }

  /** The body of one push, as signed. */
  byte[] body(ChannelTarget channel, QuantityPush push, Instant occurredAt) {
    ObjectNode body = mapper.createObjectNode();
    body.put("channel", channel.code());
    body.put("sku", push.sku());
    body.put("listingId", push.listingId());
    body.put("quantity", push.quantity());
    body.put("version", push.version());
    body.put("occurredAt", occurredAt.toString());
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Uni<PushResult> send(ChannelTarget channel, String secret, QuantityPush push) {
    Instant now = Instant.now();
    Instant quiet = quietUntil.get(channel.code());
    if (quiet != null && quiet.isAfter(now)) {
      return Uni.createFrom()
          .item(
              new PushResult(
                  push.sku(),
                  PushResult.Outcome.RETRY,
                  Duration.between(now, quiet),
                  0,
                  "not sent: the receiver asked to wait"));
    }
    byte[] body = body(channel, push, now);
    return http.request(HttpMethod.POST, channel.endpoint().toString())
        .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
        .putHeader(Signatures.HEADER, Signatures.header(secret, body))
        .putHeader("Idempotency-Key", push.idempotencyKey())
        .sendBuffer(Buffer.buffer(body))
        .map(response -> answer(channel, push, response))
        .onFailure()
        .recoverWithItem(
            failure ->
                new PushResult(
                    push.sku(), PushResult.Outcome.RETRY, null, 0, "no answer: " + failure));
  }

  private PushResult answer(ChannelTarget channel, QuantityPush push, HttpResponse<Buffer> r) {
    int status = r.statusCode();
    String excerpt = ChannelHttp.excerpt(ChannelHttp.body(r));
    if (status / 100 == 2) {
      return new PushResult(push.sku(), PushResult.Outcome.APPLIED, null, status, excerpt);
    }
    if (status == 429 || status == 408 || status / 100 == 5) {
      Duration wait = ChannelHttp.retryAfter(r.getHeader("Retry-After"));
      if (wait != null && !wait.isZero()) {
        Instant until = Instant.now().plus(wait);
        quietUntil.merge(channel.code(), until, (a, b) -> a.isAfter(b) ? a : b);
      }
      return new PushResult(push.sku(), PushResult.Outcome.RETRY, wait, status, excerpt);
    }
    return new PushResult(push.sku(), PushResult.Outcome.REJECTED, null, status, excerpt);
  }

  @Override
  public Uni<Map<String, Long>> read(ChannelTarget channel, List<String> listingIds) {
    return Uni.createFrom().item(Map.of());
  }
}
