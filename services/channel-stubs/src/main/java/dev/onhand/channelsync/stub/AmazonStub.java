package dev.onhand.channelsync.stub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amazon's Selling Partner API, Listings Items 2021-08-01, as the adapters use it: {@code PATCH}
 * and {@code GET /listings/2021-08-01/items/{sellerId}/{sku}?marketplaceIds=} with
 * x-amz-access-token. A PATCH replacing /attributes/fulfillment_availability sets the SKU's
 * quantity (ACCEPTED) or is INVALID; a GET with includedData=fulfillmentAvailability returns it.
 * Each operation is rate limited like SP-API (default 5 requests per second, burst 10): beyond it,
 * 429 QuotaExceeded; every answer carries x-amzn-RateLimit-Limit.
 */
public final class AmazonStub extends MarketplaceStub {

  public static final String SELLER = "A2ONHANDSELLER";
  public static final String MARKETPLACE = "ATVPDKIKX0DER";

  private static final Pattern ITEM = Pattern.compile("/listings/2021-08-01/items/([^/]+)/([^/]+)");

  /** One operation's token bucket, as Amazon keeps it per selling partner and operation. */
  private static final class Bucket {
    double tokens;
    long refilledAt = System.nanoTime();
  }

  private double rate = 5;
  private int burst = 10;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  @Override
  public AmazonStub start() {
    super.start();
    return this;
  }

  @Override
  public String channelType() {
    return "AMAZON";
  }

  @Override
  public Map<String, String> settings() {
    return Map.of("amazonSellerId", SELLER, "amazonMarketplaceId", MARKETPLACE);
  }

  @Override
  public AmazonStub listing(String sku, long quantity) {
    super.listing(sku, quantity);
    return this;
  }

  /** Another limit from now on; the buckets start full again. */
  public synchronized AmazonStub rateLimit(double requestsPerSecond, int burst) {
    this.rate = requestsPerSecond;
    this.burst = burst;
    buckets.clear();
    return this;
  }

  /** How many requests were answered 429. */
  public long throttled() {
    return requests().stream().filter(r -> r.status() == 429).count();
  }

  @Override
  public synchronized void reset() {
    super.reset();
    rateLimit(5, 10);
  }

  @Override
  protected Answer internalError() {
    return error(500, "InternalFailure", "We encountered an internal error. Please try again.");
  }

  @Override
  protected synchronized Answer answer(RecordedRequest request) {
    Matcher item = ITEM.matcher(request.path());
    if (!item.matches() || !("PATCH".equals(request.method()) || "GET".equals(request.method()))) {
      return limited(error(404, "NotFound", "Resource not found"));
    }
    if (!accessToken().equals(request.header("x-amz-access-token"))) {
      return limited(
          error(
              403,
              "Unauthorized",
              "Access to requested resource is denied. The access token you provided is revoked,"
                  + " malformed or invalid."));
    }
    if (!take(request.method())) {
      return limited(
          error(429, "QuotaExceeded", "You exceeded your quota for the requested resource."));
    }
    String seller = decode(item.group(1));
    String sku = decode(item.group(2));
    if (!SELLER.equals(seller)) {
      return limited(error(403, "Unauthorized", "Access to requested resource is denied."));
    }
    if (!MARKETPLACE.equals(request.query("marketplaceIds"))) {
      return limited(error(400, "InvalidInput", "Invalid 'marketplaceIds' provided."));
    }
    Long current = quantities().get(sku);
    if (current == null) {
      return limited(error(404, "NOT_FOUND", "SKU '" + sku + "' not found in marketplace"));
    }
    return limited("GET".equals(request.method()) ? get(request, sku) : patch(request, sku));
  }

  private Answer get(RecordedRequest request, String sku) {
    JsonObject listing = new JsonObject().put("sku", sku);
    String included = request.query("includedData");
    if (included != null && included.contains("fulfillmentAvailability")) {
      listing.put(
          "fulfillmentAvailability",
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("fulfillmentChannelCode", "DEFAULT")
                      .put("quantity", quantities().get(sku))));
    }
    return Answer.json(200, listing);
  }

  private Answer patch(RecordedRequest request, String sku) {
    JsonObject body = request.json();
    if (body.getString("productType") == null || body.getJsonArray("patches") == null) {
      return error(400, "InvalidInput", "productType and patches are required");
    }
    JsonArray patches = body.getJsonArray("patches");
    JsonObject patch = patches.size() == 1 ? patches.getJsonObject(0) : null;
    JsonArray value = patch == null ? null : patch.getJsonArray("value");
    JsonObject availability = value == null || value.size() != 1 ? null : value.getJsonObject(0);
    Long quantity = availability == null ? null : availability.getLong("quantity");
    if (patch == null
        || !"replace".equals(patch.getString("op"))
        || !"/attributes/fulfillment_availability".equals(patch.getString("path"))
        || availability.getString("fulfillment_channel_code") == null
        || quantity == null
        || quantity < 0) {
      return Answer.json(
          200,
          submission(sku, "INVALID")
              .put(
                  "issues",
                  new JsonArray()
                      .add(
                          new JsonObject()
                              .put("code", "90220")
                              .put("message", "'fulfillment_availability' is invalid.")
                              .put("severity", "ERROR")
                              .put(
                                  "attributeNames",
                                  new JsonArray().add("fulfillment_availability")))));
    }
    apply(sku, quantity);
    return Answer.json(200, submission(sku, "ACCEPTED").put("issues", new JsonArray()));
  }

  private static JsonObject submission(String sku, String status) {
    return new JsonObject()
        .put("sku", sku)
        .put("status", status)
        .put("submissionId", UUID.randomUUID().toString().replace("-", ""));
  }

  private boolean take(String operation) {
    Bucket bucket =
        buckets.computeIfAbsent(
            operation,
            ignored -> {
              Bucket full = new Bucket();
              full.tokens = burst;
              return full;
            });
    long now = System.nanoTime();
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) / 1e9 * rate);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }

  private Answer limited(Answer answer) {
    return answer
        .header("x-amzn-RateLimit-Limit", String.valueOf(rate))
        .header("x-amzn-RequestId", UUID.randomUUID().toString());
  }

  private static Answer error(int status, String code, String message) {
    return Answer.json(
        status,
        new JsonObject()
            .put(
                "errors",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("code", code)
                            .put("message", message)
                            .put("details", ""))));
  }

  private static String decode(String segment) {
    return URI.create("http://stub/" + segment).getPath().substring(1);
  }
}
