package dev.onhand.channelsync.stub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shopify's GraphQL Admin API as the adapters use it: {@code POST
 * /admin/api/{version}/graphql.json} with X-Shopify-Access-Token, the {@code
 * inventorySetQuantities} mutation (all or nothing, compare-and-set, {@code @idempotent(key:)}: the
 * same key with the same input answers the first result again without applying anything) and the
 * {@code nodes(ids:)} read of InventoryItem.inventoryLevel quantities. It enforces a
 * calculated-cost bucket (default: 100 points, restored at 50 per second, 10 per mutation or query)
 * and answers THROTTLED with extensions.cost.throttleStatus when a call costs more than is left;
 * every answer reports the bucket.
 */
public final class ShopifyStub extends MarketplaceStub {

  /** The one location the stub's shop stocks. */
  public static final String LOCATION = "gid://shopify/Location/1";

  private static final Pattern IDEMPOTENT =
      Pattern.compile("@idempotent\\(\\s*key:\\s*(?:\"([^\"]*)\"|\\$(\\w+))\\s*\\)");
  private static final Pattern ENDPOINT =
      Pattern.compile("/admin/api/[0-9]{4}-[0-9]{2}/graphql\\.json");
  private static final Set<String> REASONS =
      Set.of(
          "correction",
          "cycle_count_available",
          "damaged",
          "movement_created",
          "other",
          "promotion",
          "quality_control",
          "received",
          "reservation_created",
          "restock",
          "safety_stock",
          "shrinkage");

  /** One applied change of an available quantity. */
  public record Adjustment(String inventoryItemId, long from, long to, String idempotencyKey) {}

  private record Replay(JsonObject input, JsonObject data) {}

  private double maximumAvailable = 100;
  private double restoreRate = 50;
  private double available = 100;
  private long refilledAt = System.nanoTime();
  private int mutationCost = 10;
  private int queryCost = 10;
  private int loseAnswers;
  private final Map<String, Replay> idempotent = new ConcurrentHashMap<>();
  private final List<Adjustment> adjustments = new CopyOnWriteArrayList<>();

  @Override
  public ShopifyStub start() {
    super.start();
    return this;
  }

  @Override
  public String channelType() {
    return "SHOPIFY";
  }

  @Override
  public Map<String, String> settings() {
    return Map.of("shopifyLocationId", LOCATION);
  }

  @Override
  public ShopifyStub listing(String listingId, long quantity) {
    super.listing(listingId, quantity);
    return this;
  }

  /** A bucket of {@code maximum} points restored at {@code restoreRate} per second, full now. */
  public synchronized ShopifyStub costBucket(double maximum, double restoreRate) {
    this.maximumAvailable = maximum;
    this.restoreRate = restoreRate;
    this.available = maximum;
    this.refilledAt = System.nanoTime();
    return this;
  }

  /** What a mutation and a query cost. */
  public synchronized ShopifyStub costs(int mutation, int query) {
    this.mutationCost = mutation;
    this.queryCost = query;
    return this;
  }

  /** Another app (or another replica) spends the whole bucket. */
  public synchronized void drainBucket() {
    refill();
    available = 0;
  }

  /** The points left now. */
  public synchronized double availablePoints() {
    refill();
    return available;
  }

  /**
   * The next {@code n} calls are carried out, then their connection is closed without an answer (a
   * lost answer: the caller cannot know it was applied).
   */
  public synchronized void loseNextAnswers(int n) {
    loseAnswers = n;
  }

  /** Every change of an available quantity the stub applied, in order. */
  public List<Adjustment> adjustments() {
    return List.copyOf(adjustments);
  }

  /** How many calls were answered THROTTLED. */
  public long throttled() {
    return requests().stream().filter(r -> r.answer().contains("\"THROTTLED\"")).count();
  }

  @Override
  public synchronized void reset() {
    super.reset();
    idempotent.clear();
    adjustments.clear();
    loseAnswers = 0;
    costs(10, 10);
    costBucket(100, 50);
  }

  @Override
  protected String listingKey(String listingId) {
    return gid(listingId);
  }

  private static String gid(String id) {
    return id.startsWith("gid://") ? id : "gid://shopify/InventoryItem/" + id;
  }

  @Override
  protected Answer internalError() {
    return Answer.json(500, new JsonObject().put("errors", "Internal Server Error"));
  }

  @Override
  protected synchronized Answer answer(RecordedRequest request) {
    if (!"POST".equals(request.method()) || !ENDPOINT.matcher(request.path()).matches()) {
      return Answer.json(404, new JsonObject().put("errors", "Not Found"));
    }
    if (!accessToken().equals(request.header("X-Shopify-Access-Token"))) {
      return Answer.json(
          401,
          new JsonObject()
              .put(
                  "errors",
                  "[API] Invalid API key or access token (unrecognized login or wrong password)"));
    }
    JsonObject body = request.json();
    String query = body.getString("query");
    JsonObject variables = body.getJsonObject("variables", new JsonObject());
    if (query == null) {
      return Answer.json(
          400,
          new JsonObject()
              .put(
                  "errors",
                  new JsonObject().put("query", "Required parameter missing or invalid")));
    }
    boolean mutation = query.contains("inventorySetQuantities");
    int cost = mutation ? mutationCost : queryCost;
    refill();
    if (cost > available) {
      JsonObject throttled =
          new JsonObject()
              .put(
                  "errors",
                  new JsonArray()
                      .add(
                          new JsonObject()
                              .put("message", "Throttled")
                              .put(
                                  "extensions",
                                  new JsonObject()
                                      .put("code", "THROTTLED")
                                      .put(
                                          "documentation",
                                          "https://shopify.dev/api/usage/rate-limits"))))
              .put("extensions", extensions(cost, null));
      return Answer.json(200, throttled);
    }
    available -= cost;
    JsonObject data = mutation ? set(query, variables) : read(query, variables);
    Answer answer =
        Answer.json(
            200, new JsonObject().put("data", data).put("extensions", extensions(cost, cost)));
    if (mutation && loseAnswers > 0) {
      loseAnswers--;
      return answer.dropped();
    }
    return answer;
  }

  private JsonObject set(String query, JsonObject variables) {
    JsonObject input = variables.getJsonObject("input");
    if (input == null) {
      throw new IllegalArgumentException("the stub reads the mutation's input from $input");
    }
    String key = null;
    Matcher directive = IDEMPOTENT.matcher(query);
    if (directive.find()) {
      key =
          directive.group(1) != null ? directive.group(1) : variables.getString(directive.group(2));
    }
    if (key != null) {
      Replay replay = idempotent.get(key);
      if (replay != null) {
        return replay.input().equals(input)
            ? replay.data()
            : payload(
                null,
                new JsonArray()
                    .add(
                        userError(
                            "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
                            null,
                            "The same idempotency key cannot be used with different operation"
                                + " parameters.")));
      }
    }
    JsonObject data = apply(input, key);
    if (key != null) {
      idempotent.put(key, new Replay(input.copy(), data));
    }
    return data;
  }

  /** Checks every quantity first and applies all of them or none, like Shopify. */
  private JsonObject apply(JsonObject input, String key) {
    JsonArray errors = new JsonArray();
    if (!"available".equals(input.getString("name"))) {
      errors.add(userError("INVALID_NAME", new JsonArray().add("input").add("name"), "bad name"));
    }
    if (!REASONS.contains(input.getString("reason"))) {
      errors.add(
          userError("INVALID_REASON", new JsonArray().add("input").add("reason"), "bad reason"));
    }
    boolean ignoreCompare = input.getBoolean("ignoreCompareQuantity", false);
    JsonArray quantities = input.getJsonArray("quantities", new JsonArray());
    for (int i = 0; i < quantities.size(); i++) {
      JsonObject quantity = quantities.getJsonObject(i);
      String item = quantity.getString("inventoryItemId");
      Long current = quantities().get(item);
      if (current == null) {
        errors.add(
            userError(
                "INVALID_INVENTORY_ITEM",
                field(i, "inventoryItemId"),
                "The specified inventory item could not be found."));
      } else if (!LOCATION.equals(quantity.getString("locationId"))) {
        errors.add(
            userError(
                "INVALID_LOCATION",
                field(i, "locationId"),
                "The specified location could not be found."));
      } else if (!ignoreCompare && quantity.getValue("compareQuantity") == null) {
        errors.add(
            userError(
                "COMPARE_QUANTITY_REQUIRED",
                field(i, "compareQuantity"),
                "The compareQuantity argument must be given to each quantity or ignored using"
                    + " ignoreCompareQuantity."));
      } else if (!ignoreCompare && quantity.getLong("compareQuantity") != current.longValue()) {
        errors.add(
            userError(
                "COMPARE_QUANTITY_STALE",
                field(i, "compareQuantity"),
                "The specified compare quantity does not match the current quantity."));
      }
    }
    if (!errors.isEmpty()) {
      return payload(null, errors);
    }
    for (int i = 0; i < quantities.size(); i++) {
      JsonObject quantity = quantities.getJsonObject(i);
      String item = quantity.getString("inventoryItemId");
      long to = quantity.getLong("quantity");
      long from = quantities().get(item);
      apply(item, to);
      adjustments.add(new Adjustment(item, from, to, key));
    }
    JsonObject group =
        new JsonObject()
            .put("reason", input.getString("reason"))
            .put("referenceDocumentUri", input.getString("referenceDocumentUri"));
    return payload(group, new JsonArray());
  }

  private JsonObject read(String query, JsonObject variables) {
    if (!query.contains("nodes(")) {
      throw new IllegalArgumentException("the stub answers inventorySetQuantities and nodes only");
    }
    JsonArray nodes = new JsonArray();
    String location = variables.getString("locationId");
    for (Object id : variables.getJsonArray("ids", new JsonArray())) {
      Long quantity = quantities().get(String.valueOf(id));
      if (quantity == null) {
        nodes.addNull();
        continue;
      }
      JsonObject level =
          LOCATION.equals(location)
              ? new JsonObject()
                  .put(
                      "quantities",
                      new JsonArray()
                          .add(new JsonObject().put("name", "available").put("quantity", quantity)))
              : null;
      nodes.add(new JsonObject().put("id", id).put("inventoryLevel", level));
    }
    return new JsonObject().put("nodes", nodes);
  }

  private static JsonObject payload(JsonObject group, JsonArray userErrors) {
    return new JsonObject()
        .put(
            "inventorySetQuantities",
            new JsonObject().put("inventoryAdjustmentGroup", group).put("userErrors", userErrors));
  }

  private static JsonObject userError(String code, JsonArray field, String message) {
    return new JsonObject().put("code", code).put("field", field).put("message", message);
  }

  private static JsonArray field(int index, String name) {
    return new JsonArray().add("input").add("quantities").add(String.valueOf(index)).add(name);
  }

  private JsonObject extensions(int requested, Integer actual) {
    return new JsonObject()
        .put(
            "cost",
            new JsonObject()
                .put("requestedQueryCost", requested)
                .put("actualQueryCost", actual)
                .put(
                    "throttleStatus",
                    new JsonObject()
                        .put("maximumAvailable", maximumAvailable)
                        .put("currentlyAvailable", Math.floor(available))
                        .put("restoreRate", restoreRate)));
  }

  private void refill() {
    long now = System.nanoTime();
    available = Math.min(maximumAvailable, available + (now - refilledAt) / 1e9 * restoreRate);
    refilledAt = now;
  }
}
