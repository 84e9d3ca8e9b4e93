package dev.onhand.channelsync.adapter.shopify;

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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * SHOPIFY through the GraphQL Admin API: {@code inventorySetQuantities} sets the absolute
 * "available" quantity of up to 250 inventory items at the channel's location in one call, with
 * compare-and-set against the quantity Onhand last sent and an {@code @idempotent} key, so a call
 * retried after a lost answer is applied once instead of failing its own compare.
 *
 * <p>Limit honoured: the calculated query cost bucket. Every answer reports it
 * (extensions.cost.throttleStatus: maximumAvailable, currentlyAvailable, restoreRate); the adapter
 * keeps it per channel and, when the next call's cost is not there, answers RETRY with deficit /
 * restoreRate instead of calling. A THROTTLED answer anyway (another app or replica spent the
 * bucket) is RETRY with the wait Shopify's numbers give.
 *
 * <p>Settings: {@code shopifyLocationId} (gid or number), {@code shopifyApiVersion} (default
 * {@value #DEFAULT_API_VERSION}); credential {@code accessToken}. The listing id is the inventory
 * item's gid (or its number).
 */
@ApplicationScoped
public class ShopifyAdapter implements ChannelAdapter {

  /**
   * The first Admin API version whose inventorySetQuantities takes the {@code @idempotent}
   * directive and still takes compareQuantity (2026-04 replaces it with changeFromQuantity).
   */
  public static final String DEFAULT_API_VERSION = "2026-01";

  /** Shopify's limit of quantities in one inventorySetQuantities call (and of ids in nodes). */
  static final int MAX_PER_CALL = 250;

  /** How often a read waits for the bucket or a THROTTLED answer before giving up. */
  static final int READ_ATTEMPTS = 8;

  static final String SET_AVAILABLE =
      """
      mutation OnhandSetAvailable($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
        inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
          inventoryAdjustmentGroup { reason referenceDocumentUri }
          userErrors { code field message }
        }
      }
      """;

  static final String READ_AVAILABLE =
      """
      query OnhandAvailable($ids: [ID!]!, $locationId: ID!) {
        nodes(ids: $ids) {
          ... on InventoryItem {
            id
            inventoryLevel(locationId: $locationId) {
              quantities(names: ["available"]) { name quantity }
            }
          }
        }
      }
      """;

  /** User error codes that mean Onhand's expected quantity was not Shopify's. */
  private static final Set<String> STALE =
      Set.of("COMPARE_QUANTITY_STALE", "CHANGE_FROM_QUANTITY_STALE");

  /** An earlier attempt under the same key is still running at Shopify. */
  private static final String CONCURRENT = "IDEMPOTENCY_CONCURRENT_REQUEST";

  private final ChannelHttp http;
  private final ConcurrentMap<String, ShopifyChannelState> channels = new ConcurrentHashMap<>();

  @Inject
  public ShopifyAdapter(ChannelHttp http) {
    this.http = http;
  }

  @Override
  public ChannelType type() {
    return ChannelType.SHOPIFY;
  }

  /** One mutation's cost at the bucket's restore rate (50 points/s, 10 a call: 200 ms). */
  @Override
  public Duration pace(ChannelTarget channel) {
    ShopifyChannelState state = channels.get(channel.code());
    return state == null ? Duration.ZERO : state.pace();
  }

  @Override
  public Uni<List<PushResult>> push(ChannelTarget channel, List<QuantityPush> pushes) {
    if (pushes.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    Call call;
    try {
      call = new Call(channel);
    } catch (IllegalStateException misconfigured) {
      return Uni.createFrom()
          .item(ChannelHttp.all(pushes, Outcome.REJECTED, null, 0, misconfigured.getMessage()));
    }
    // ignoreCompareQuantity holds for a whole call, so pushes with and without a last sent
    // quantity go in separate calls; sorted so a retried batch is the same request, same key
    List<List<QuantityPush>> calls = new ArrayList<>();
    for (boolean compared : new boolean[] {true, false}) {
      List<QuantityPush> group =
          pushes.stream()
              .filter(push -> (push.lastSentQuantity() != null) == compared)
              .sorted(Comparator.comparing(QuantityPush::idempotencyKey))
              .toList();
      for (int from = 0; from < group.size(); from += MAX_PER_CALL) {
        calls.add(group.subList(from, Math.min(group.size(), from + MAX_PER_CALL)));
      }
    }
    return Multi.createFrom()
        .iterable(calls)
        .onItem()
        .transformToUniAndConcatenate(batch -> set(call, batch))
        .collect()
        .asList()
        .map(lists -> lists.stream().flatMap(List::stream).toList());
  }

  private Uni<List<PushResult>> set(Call call, List<QuantityPush> batch) {
    Duration wait = call.state.reserve(false);
    if (!wait.isZero()) {
      return Uni.createFrom()
          .item(
              ChannelHttp.all(
                  batch,
                  Outcome.RETRY,
                  wait,
                  0,
                  "cost bucket short: next call needs " + call.state.cost(false) + " points"));
    }
    String contentKey = contentKey(batch);
    String key = call.state.key(contentKey);
    boolean compared = batch.get(0).lastSentQuantity() != null;
    JsonArray quantities = new JsonArray();
    for (QuantityPush push : batch) {
      JsonObject quantity =
          new JsonObject()
              .put("inventoryItemId", gid("InventoryItem", push.listingId()))
              .put("locationId", call.location)
              .put("quantity", push.quantity());
      if (compared) {
        quantity.put("compareQuantity", push.lastSentQuantity());
      }
      quantities.add(quantity);
    }
    String reference = batch.size() == 1 ? batch.get(0).idempotencyKey() : key;
    JsonObject input =
        new JsonObject()
            .put("name", "available")
            .put("reason", "correction")
            .put("referenceDocumentUri", "onhand://push/" + reference)
            .put("ignoreCompareQuantity", !compared)
            .put("quantities", quantities);
    JsonObject body =
        new JsonObject()
            .put("query", SET_AVAILABLE)
            .put("variables", new JsonObject().put("input", input).put("idempotencyKey", key));
    return call.send(body)
        .map(response -> setAnswered(call, batch, contentKey, response))
        .onFailure()
        .recoverWithUni(failure -> ChannelHttp.unanswered(batch, failure));
  }

  private List<PushResult> setAnswered(
      Call call, List<QuantityPush> batch, String contentKey, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String text = ChannelHttp.body(response);
    if (status == 429) {
      Duration wait = ChannelHttp.retryAfter(response.getHeader("Retry-After"));
      return ChannelHttp.all(batch, Outcome.RETRY, wait, status, text);
    }
    if (status >= 500) {
      return ChannelHttp.all(batch, Outcome.RETRY, null, status, text);
    }
    if (status != 200) {
      // 401 token, 402 shop frozen, 403 scope, 404 shop, 423 shop locked: none heals by retrying
      return ChannelHttp.all(batch, Outcome.REJECTED, null, status, text);
    }
    JsonObject answer;
    try {
      answer = new JsonObject(text);
    } catch (DecodeException | ClassCastException unreadable) {
      return ChannelHttp.all(batch, Outcome.RETRY, null, status, text);
    }
    call.state.observe(answer.getJsonObject("extensions"), false);
    JsonArray errors = answer.getJsonArray("errors");
    if (errors != null && !errors.isEmpty()) {
      return topLevelErrors(call, batch, errors, status, text);
    }
    JsonObject data = answer.getJsonObject("data");
    JsonObject payload = data == null ? null : data.getJsonObject("inventorySetQuantities");
    if (payload == null) {
      return ChannelHttp.all(batch, Outcome.RETRY, null, status, text);
    }
    JsonArray userErrors = payload.getJsonArray("userErrors", new JsonArray());
    if (userErrors.isEmpty()) {
      return ChannelHttp.all(batch, Outcome.APPLIED, null, status, text);
    }
    // the call is all or nothing: nothing was set, and this key's attempt is spent, unless
    // Shopify is still running an earlier attempt under it (that one may yet apply)
    boolean stillRunning = true;
    for (int i = 0; i < userErrors.size(); i++) {
      stillRunning &= CONCURRENT.equals(userErrors.getJsonObject(i).getString("code"));
    }
    if (!stillRunning) {
      call.state.failed(contentKey);
    }
    return userErrors(batch, userErrors, status);
  }

  private List<PushResult> topLevelErrors(
      Call call, List<QuantityPush> batch, JsonArray errors, int status, String text) {
    Outcome outcome = Outcome.REJECTED;
    Duration wait = null;
    for (int i = 0; i < errors.size(); i++) {
      JsonObject error = errors.getJsonObject(i);
      JsonObject extensions = error == null ? null : error.getJsonObject("extensions");
      String code = extensions == null ? null : extensions.getString("code");
      if ("THROTTLED".equals(code)) {
        outcome = Outcome.RETRY;
        wait = call.state.deficit(false);
      } else if ("INTERNAL_SERVER_ERROR".equals(code) && outcome == Outcome.REJECTED) {
        outcome = Outcome.RETRY;
      }
    }
    // any other top-level error (ACCESS_DENIED, a malformed request, MAX_COST_EXCEEDED) is ours
    // or the shop's to fix: retrying the same call cannot heal it
    return ChannelHttp.all(batch, outcome, wait, status, text);
  }

  private List<PushResult> userErrors(List<QuantityPush> batch, JsonArray userErrors, int status) {
    Map<Integer, JsonObject> byQuantity = new HashMap<>();
    JsonObject wholeCall = null;
    for (int i = 0; i < userErrors.size(); i++) {
      JsonObject error = userErrors.getJsonObject(i);
      Integer index = quantityIndex(error.getJsonArray("field"));
      if (index != null && index < batch.size()) {
        byQuantity.putIfAbsent(index, error);
      } else if (wholeCall == null) {
        wholeCall = error;
      }
    }
    List<PushResult> results = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      QuantityPush push = batch.get(i);
      JsonObject error = byQuantity.getOrDefault(i, wholeCall);
      if (error == null) {
        // its own quantity was fine; another one in the same call failed it
        results.add(
            new PushResult(
                push.sku(),
                Outcome.RETRY,
                Duration.ZERO,
                status,
                "not applied: another quantity in the same call failed"));
      } else {
        results.add(
            new PushResult(
                push.sku(), outcome(error.getString("code")), null, status, error.encode()));
      }
    }
    return results;
  }

  private static Outcome outcome(String code) {
    if (code != null && STALE.contains(code)) {
      return Outcome.COMPARE_FAILED;
    }
    if (CONCURRENT.equals(code) || "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED".equals(code)) {
      // the next attempt goes out under a renewed key
      return Outcome.RETRY;
    }
    return Outcome.REJECTED;
  }

  /** ["input", "quantities", "3", "compareQuantity"] → 3. */
  private static Integer quantityIndex(JsonArray field) {
    if (field == null) {
      return null;
    }
    for (int i = 0; i + 1 < field.size(); i++) {
      if ("quantities".equals(String.valueOf(field.getValue(i)))) {
        try {
          return Integer.valueOf(String.valueOf(field.getValue(i + 1)));
        } catch (NumberFormatException notAnIndex) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * The idempotency key of one call's content: the same pushes with the same quantities and compare
   * quantities give the same key (Shopify's rule: a duplicate has the same variables); anything
   * else is a new request with a new key.
   */
  static String contentKey(List<QuantityPush> batch) {
    StringBuilder content = new StringBuilder();
    for (QuantityPush push : batch) {
      content
          .append(push.idempotencyKey())
          .append('|')
          .append(push.listingId())
          .append('|')
          .append(push.quantity())
          .append('|')
          .append(push.lastSentQuantity())
          .append('\n');
    }
    return UUID.nameUUIDFromBytes(content.toString().getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Override
  public Uni<Map<String, Long>> read(ChannelTarget channel, List<String> listingIds) {
    if (listingIds.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    Call call;
    try {
      call = new Call(channel);
    } catch (IllegalStateException misconfigured) {
      return Uni.createFrom().failure(misconfigured);
    }
    List<List<String>> chunks = new ArrayList<>();
    for (int from = 0; from < listingIds.size(); from += MAX_PER_CALL) {
      chunks.add(listingIds.subList(from, Math.min(listingIds.size(), from + MAX_PER_CALL)));
    }
    return Multi.createFrom()
        .iterable(chunks)
        .onItem()
        .transformToUniAndConcatenate(chunk -> readChunk(call, chunk, READ_ATTEMPTS))
        .collect()
        .in(LinkedHashMap<String, Long>::new, (all, chunk) -> all.putAll(chunk))
        .map(all -> (Map<String, Long>) all);
  }

  private Uni<Map<String, Long>> readChunk(Call call, List<String> ids, int attempts) {
    Duration wait = call.state.reserve(true);
    if (!wait.isZero()) {
      return ChannelHttp.later(wait, () -> readChunk(call, ids, attempts));
    }
    JsonObject body =
        new JsonObject()
            .put("query", READ_AVAILABLE)
            .put(
                "variables",
                new JsonObject()
                    .put(
                        "ids",
                        new JsonArray(ids.stream().map(id -> gid("InventoryItem", id)).toList()))
                    .put("locationId", call.location));
    return call.send(body)
        .flatMap(
            response -> {
              int status = response.statusCode();
              String text = ChannelHttp.body(response);
              if (status != 200) {
                return Uni.createFrom().failure(new ChannelCallException(call.code, status, text));
              }
              JsonObject answer;
              try {
                answer = new JsonObject(text);
              } catch (DecodeException | ClassCastException unreadable) {
                return Uni.createFrom().failure(new ChannelCallException(call.code, status, text));
              }
              call.state.observe(answer.getJsonObject("extensions"), true);
              JsonArray errors = answer.getJsonArray("errors");
              if (errors != null && !errors.isEmpty()) {
                if (attempts > 1 && text.contains("THROTTLED")) {
                  Duration deficit = call.state.deficit(true);
                  return ChannelHttp.later(
                      deficit == null ? Duration.ofSeconds(1) : deficit,
                      () -> readChunk(call, ids, attempts - 1));
                }
                return Uni.createFrom().failure(new ChannelCallException(call.code, status, text));
              }
              return Uni.createFrom().item(available(ids, answer));
            });
  }

  private static Map<String, Long> available(List<String> ids, JsonObject answer) {
    JsonObject data = answer.getJsonObject("data");
    JsonArray nodes = data == null ? null : data.getJsonArray("nodes");
    Map<String, Long> found = new LinkedHashMap<>();
    if (nodes == null) {
      return found;
    }
    for (int i = 0; i < Math.min(ids.size(), nodes.size()); i++) {
      JsonObject node = nodes.getJsonObject(i);
      JsonObject level = node == null ? null : node.getJsonObject("inventoryLevel");
      JsonArray quantities = level == null ? null : level.getJsonArray("quantities");
      if (quantities == null) {
        continue; // unknown item, or not stocked at this location
      }
      for (int q = 0; q < quantities.size(); q++) {
        JsonObject quantity = quantities.getJsonObject(q);
        if ("available".equals(quantity.getString("name"))
            && quantity.getNumber("quantity") != null) {
          found.put(ids.get(i), quantity.getNumber("quantity").longValue());
        }
      }
    }
    return found;
  }

  /** "123" → "gid://shopify/InventoryItem/123"; a gid stays as it is. */
  static String gid(String type, String id) {
    return id.startsWith("gid://") ? id : "gid://shopify/" + type + "/" + id;
  }

  /** One channel's endpoint, token, location and state, resolved once per push or read. */
  private final class Call {
    final String code;
    final String url;
    final String token;
    final String location;
    final ShopifyChannelState state;

    Call(ChannelTarget channel) {
      this.code = channel.code();
      String version = channel.settings().getOrDefault("shopifyApiVersion", DEFAULT_API_VERSION);
      this.url = ChannelHttp.base(channel.endpoint()) + "/admin/api/" + version + "/graphql.json";
      this.token = channel.credential("accessToken");
      this.location = gid("Location", channel.setting("shopifyLocationId"));
      this.state = channels.computeIfAbsent(code, ignored -> new ShopifyChannelState());
    }

    Uni<HttpResponse<Buffer>> send(JsonObject body) {
      return http.request(HttpMethod.POST, url)
          .putHeader("X-Shopify-Access-Token", token)
          .putHeader("Content-Type", "application/json")
          .putHeader("Accept", "application/json")
          .sendJsonObject(body);
    }
  }
}
