package dev.onhand.channelsync.stub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;

/**
 * Walmart's Marketplace Inventory API as the adapters use it: {@code PUT} and {@code GET
 * /v3/inventory?sku=&shipNode=} with WM_SEC.ACCESS_TOKEN, WM_QOS.CORRELATION_ID and WM_SVC.NAME. A
 * PUT of {sku, quantity: {unit: EACH, amount}} sets the SKU's quantity at the ship node; it can be
 * told to answer 429 with Retry-After for the next n calls.
 */
public final class WalmartStub extends MarketplaceStub {

  /** The one ship node the stub's seller has. */
  public static final String SHIP_NODE = "100123";

  private int throttleNext;
  private Duration retryAfter = Duration.ofSeconds(1);

  @Override
  public WalmartStub start() {
    super.start();
    return this;
  }

  @Override
  public String channelType() {
    return "WALMART";
  }

  @Override
  public Map<String, String> settings() {
    return Map.of("walmartShipNode", SHIP_NODE);
  }

  @Override
  public WalmartStub listing(String sku, long quantity) {
    super.listing(sku, quantity);
    return this;
  }

  /** The next {@code n} calls are answered 429 with Retry-After in whole seconds. */
  public synchronized void throttleNext(int n, Duration retryAfter) {
    this.throttleNext = n;
    this.retryAfter = retryAfter;
  }

  /** How many requests were answered 429. */
  public long throttled() {
    return requests().stream().filter(r -> r.status() == 429).count();
  }

  @Override
  public synchronized void reset() {
    super.reset();
    throttleNext = 0;
  }

  @Override
  protected Answer internalError() {
    return error(500, "SYSTEM_ERROR.GMP_GATEWAY_API", "Internal server error");
  }

  @Override
  protected synchronized Answer answer(RecordedRequest request) {
    if (!"/v3/inventory".equals(request.path())
        || !("PUT".equals(request.method()) || "GET".equals(request.method()))) {
      return error(404, "NOT_FOUND.GMP_GATEWAY_API", "Not found");
    }
    if (!accessToken().equals(request.header("WM_SEC.ACCESS_TOKEN"))) {
      return error(401, "UNAUTHORIZED.GMP_GATEWAY_API", "Unauthorized");
    }
    if (request.header("WM_QOS.CORRELATION_ID") == null || request.header("WM_SVC.NAME") == null) {
      return error(400, "MISSING_REQUIRED_HEADER.GMP_GATEWAY_API", "Missing required header");
    }
    if (throttleNext > 0) {
      throttleNext--;
      return error(429, "REQUEST_THRESHOLD_VIOLATED.GMP_GATEWAY_API", "Too Many Requests")
          .header("Retry-After", String.valueOf(retryAfter.toSeconds()));
    }
    String sku = request.query("sku");
    if (sku == null || !SHIP_NODE.equals(request.query("shipNode"))) {
      return error(400, "INVALID_REQUEST_PARAM.GMP_INVENTORY_API", "Invalid sku or shipNode");
    }
    if (quantities().get(sku) == null) {
      return error(404, "CONTENT_NOT_FOUND.GMP_INVENTORY_API", "Requested content not found");
    }
    if ("PUT".equals(request.method())) {
      JsonObject body = request.json();
      JsonObject quantity = body.getJsonObject("quantity");
      Long amount = quantity == null ? null : quantity.getLong("amount");
      if (!sku.equals(body.getString("sku"))
          || !"EACH".equals(quantity == null ? null : quantity.getString("unit"))
          || amount == null
          || amount < 0) {
        return error(
            400, "INVALID_REQUEST_CONTENT.GMP_INVENTORY_API", "Invalid inventory request content");
      }
      apply(sku, amount);
    }
    return Answer.json(
        200,
        new JsonObject()
            .put("sku", sku)
            .put(
                "quantity",
                new JsonObject().put("unit", "EACH").put("amount", quantities().get(sku))));
  }

  private static Answer error(int status, String code, String description) {
    return Answer.json(
        status,
        new JsonObject()
            .put(
                "errors",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("code", code)
                            .put("description", description)
                            .put("severity", "ERROR")
                            .put("category", "DATA"))));
  }
}
