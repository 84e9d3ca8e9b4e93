package dev.onhand.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.onhand.channelsync.stub.AmazonStub;
import dev.onhand.channelsync.stub.MarketplaceStub;
import dev.onhand.channelsync.stub.RecordedRequest;
import dev.onhand.channelsync.stub.ShopifyStub;
import dev.onhand.channelsync.support.WebhookReceiver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P3: orders at a fixed rate over {@code --skus} SKUs, and how soon three channels show the new
 * sellable quantity. The channels' APIs are the marketplace stubs, in this process: Shopify with a
 * calculated-cost bucket, Amazon at {@code --amazon-rate} requests/s (burst {@code
 * --amazon-burst}), and a generic webhook receiver that answers everything at once (the unthrottled
 * channel). Stock, fulfillment, channel-sync and the gateway run as packaged services; everything
 * is created and ordered through the gateway.
 *
 * <p>Latency of an order on one channel: the order for SKU s is the k-th unit sold of s, so after
 * it s has {@code q = stock - k} available, and with allocation 100 % and no buffer the channel
 * must be shown q. During the run quantities only fall, so the channel reflects the order from the
 * first moment its stub applied a quantity of s that is at most q (whichever push carried it).
 * Latency = that moment minus the moment the gateway's 2xx for the order arrived here, or 0 if the
 * stub had it first (a later order of s was already reflected). Both instants are read from this
 * process's clock. An order not reflected by the end of the drain counts as slower than any
 * measured one.
 *
 * <p>Prints one line per channel and a summary line; exits 0 whatever the figures are, 2 if it
 * could not run, 3 if setup or the run did not finish.
 */
public final class ChannelSyncBench {
  private static final String LOCATION = "P3";
  private static final String WEBHOOK = "p3-webhook";
  private static final String SHOPIFY = "p3-shopify";
  private static final String AMAZON = "p3-amazon";
  private static final List<String> CHANNELS = List.of(WEBHOOK, SHOPIFY, AMAZON);
  private static final long SHOPIFY_ITEM_BASE = 1_000_000;
  private static final Pattern PUSH_METRIC =
      Pattern.compile(
          // an OpenMetrics exemplar (" # {span_id=...} 1.0 <time>") may follow the value
          "^onhand_channel_sync_pushes_total\\{([^}]*)\\}\\s+([0-9.eE+-]+)(?:\\s+#.*)?$",
          Pattern.MULTILINE);
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private ChannelSyncBench() {}

  public static void main(String[] argv) throws Exception {
    int code;
    try {
      code = new Run(Args.parse(argv)).run();
    } catch (IllegalStateException | IllegalArgumentException | IOException e) {
      System.err.println("P3: could not run: " + e.getMessage());
      code = 2;
    }
    System.exit(code);
  }

  /** A stub's applied quantities for one SKU: (epoch µs, quantity), in time order. */
  private record Receipt(long atMicros, long quantity) {}

  private static final class Run {
    final int gatewayPort;
    final int channelSyncPort;
    final int skus;
    final long stock;
    final int rate;
    final int seconds;
    final int hot;
    final int burst;
    final int idleChanges;
    final int drainSeconds;
    final int warmupSeconds;
    final double amazonRate;
    final int amazonBurst;
    final double shopifyBucket;
    final double shopifyRestore;
    final String webhookSecretReference;
    final String tokenReference;
    final String stateFile;
    final String run = UUID.randomUUID().toString().substring(0, 8);
    final Api api;
    final long[] expected;
    final Map<String, Integer> indexOfSku = new HashMap<>();
    final ShopifyStub shop = new ShopifyStub();
    final AmazonStub amazon = new AmazonStub();
    final WebhookReceiver hooks = WebhookReceiver.get();
    final String vhost;
    final Map<String, Long> pids = new LinkedHashMap<>();
    final int clockTicks;

    /** stock.inventory.changed as it left stock, per SKU: when the tap got it, and available. */
    final Map<Integer, List<Receipt>> stockEvents = new HashMap<>();

    Run(Args args) {
      gatewayPort = args.integer("gateway-port", 18090);
      channelSyncPort = args.integer("channel-sync-port", 18095);
      skus = args.integer("skus", 1000);
      stock = args.longValue("stock", 1000);
      rate = args.integer("rate", 100);
      seconds = args.integer("seconds", 20);
      hot = args.integer("hot", 5);
      burst = args.integer("burst", 20);
      idleChanges = args.integer("idle-changes", 3);
      drainSeconds = args.integer("drain-seconds", 60);
      warmupSeconds = args.integer("warmup-seconds", 15);
      amazonRate = args.decimal("amazon-rate", 5);
      amazonBurst = args.integer("amazon-burst", 10);
      shopifyBucket = args.decimal("shopify-bucket", 100);
      shopifyRestore = args.decimal("shopify-restore", 50);
      tokenReference = args.string("token-reference", "env:ONHAND_CHANNEL_BENCH_TOKEN");
      webhookSecretReference =
          args.string("webhook-secret-reference", "env:ONHAND_CHANNEL_BENCH_WEBHOOK_SECRET");
      stateFile = args.string("state-file", null);
      vhost = args.string("vhost", System.getenv().getOrDefault("ONHAND_RABBITMQ_VHOST", "/"));
      for (String named : args.string("pids", "").split(",")) {
        if (named.contains(":")) {
          pids.put(
              named.substring(0, named.indexOf(':')),
              Long.parseLong(named.substring(named.indexOf(':') + 1)));
        }
      }
      clockTicks = args.integer("clock-ticks", 100);
      String key = System.getenv().getOrDefault("BENCH_API_KEY", "onhand-dev-key");
      api = new Api(Load.vertx(), gatewayPort, 64, key);
      expected = new long[skus];
      for (int i = 0; i < skus; i++) {
        indexOfSku.put(sku(i), i);
      }
      if (hot + 1 >= skus || burst > rate || idleChanges >= skus - hot) {
        throw new IllegalArgumentException("--hot, --burst, --idle-changes do not fit the run");
      }
    }

    static String sku(int i) {
      return String.format(Locale.ROOT, "P3-%04d", i);
    }

    int run() throws Exception {
      shop.start().costBucket(shopifyBucket, shopifyRestore);
      // setup only: 1,000 first pushes at 5/s would take minutes; the adapter follows the rate the
      // stub announces, and the stub is set to the measured limit before anything is measured
      amazon.start().rateLimit(200, 200);
      try {
        long setupStarted = System.nanoTime();
        if (!setUp()) {
          return 3;
        }
        note(
            "setup done in %.1f s: %d SKUs listed on 3 channels, first pushes applied",
            (System.nanoTime() - setupStarted) / 1e9, skus);
        amazon.rateLimit(amazonRate, amazonBurst);
        try (Connection tap = tapStockEvents()) {
          return measure();
        }
      } finally {
        shop.close();
        amazon.close();
      }
    }

    /**
     * Taps stock.inventory.changed on the broker, so each order's latency splits into the part up
     * to stock's event and the part from it to the channel.
     */
    Connection tapStockEvents() throws IOException {
      ConnectionFactory factory = new ConnectionFactory();
      Map<String, String> env = System.getenv();
      factory.setHost(env.getOrDefault("ONHAND_RABBITMQ_HOST", "127.0.0.1"));
      factory.setPort(Integer.parseInt(env.getOrDefault("ONHAND_RABBITMQ_PORT", "5672")));
      factory.setUsername(env.getOrDefault("ONHAND_RABBITMQ_USER", "guest"));
      factory.setPassword(env.getOrDefault("ONHAND_RABBITMQ_PASSWORD", "guest"));
      factory.setVirtualHost(vhost);
      Connection connection;
      try {
        connection = factory.newConnection("p3-stock-tap");
      } catch (TimeoutException e) {
        throw new IOException(e);
      }
      Channel channel = connection.createChannel();
      String queue = channel.queueDeclare().getQueue();
      channel.queueBind(queue, "onhand.stock", "stock.inventory.changed");
      channel.basicConsume(
          queue,
          true,
          (tag, delivery) -> {
            Instant at = Instant.now();
            JsonNode data = Api.JSON.readTree(delivery.getBody()).path("data");
            Integer i = indexOfSku.get(data.path("sku").asText());
            if (i != null) {
              synchronized (stockEvents) {
                stockEvents
                    .computeIfAbsent(i, k -> new ArrayList<>())
                    .add(receipt(at, data.path("quantities").path("available").asLong()));
              }
            }
          },
          tag -> {});
      return connection;
    }

    // --- setup -------------------------------------------------------------------------------

    boolean setUp() throws Exception {
      // the location is created now, with channel-sync up, so it learns it from stock's event
      retrying(
          () ->
              api.send(
                  "PUT",
                  "/locations/" + LOCATION,
                  "{\"name\":\"P3 warehouse\",\"type\":\"WAREHOUSE\"}",
                  UUID.randomUUID().toString()),
          Set.of(200, 201));
      List<Supplier<Api.Reply>> items = new ArrayList<>();
      for (int i = 0; i < skus; i++) {
        String sku = sku(i);
        shop.listing(String.valueOf(SHOPIFY_ITEM_BASE + i), 0);
        amazon.listing(sku, 0);
        items.add(
            () ->
                api.send(
                    "PUT",
                    "/items/" + sku,
                    "{\"name\":\"P3 " + sku + "\",\"unitCost\":1.5,\"lowStockThreshold\":0}",
                    UUID.randomUUID().toString()));
      }
      parallel(items, Set.of(200, 201));
      for (int from = 0; from < skus; from += 100) {
        List<String> chunk = new ArrayList<>();
        for (int i = from; i < Math.min(skus, from + 100); i++) {
          chunk.add(sku(i));
        }
        api.receive(chunk, LOCATION, stock);
      }
      Arrays.fill(expected, stock);
      String rules =
          ",\"eligibleLocations\":[\""
              + LOCATION
              + "\"],\"allowSplit\":true,\"bufferUnits\":0,\"allocationPercent\":100}";
      putChannel(
          WEBHOOK,
          "{\"type\":\"GENERIC_WEBHOOK\",\"endpoint\":\""
              + hooks.url(WEBHOOK)
              + "\",\"credentials\":{\"secret\":\""
              + webhookSecretReference
              + "\"},\"settings\":{}"
              + rules);
      putChannel(SHOPIFY, marketplaceChannel(shop, rules));
      putChannel(AMAZON, marketplaceChannel(amazon, rules));
      List<Supplier<Api.Reply>> listings = new ArrayList<>();
      for (int i = 0; i < skus; i++) {
        String sku = sku(i);
        listings.add(() -> listing(WEBHOOK, sku, "L-" + sku));
        long item = SHOPIFY_ITEM_BASE + i;
        listings.add(() -> listing(SHOPIFY, sku, String.valueOf(item)));
        listings.add(() -> listing(AMAZON, sku, sku));
      }
      parallel(listings, Set.of(200, 201));
      note("channels and %d listings created; waiting for the first pushes", 3 * skus);
      if (!settled("the first pushes")) {
        return false;
      }
      if (warmupSeconds > 0) {
        // the same load first, unmeasured: the order path runs compiled (JIT) when it is measured,
        // as in a suite that has been up for a while
        note("warm-up: %d orders/s for %d s", rate, warmupSeconds);
        Orders warmUp = new Orders(rate * warmupSeconds);
        if (!send(warmUp, warmupSeconds, "warm", 7)) {
          return false;
        }
        return settled("the warm-up's pushes");
      }
      return true;
    }

    /** Waits until every channel shows every expected quantity and nothing is pending. */
    boolean settled(String what) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (System.nanoTime() < deadline) {
        if (shows(WEBHOOK) && shows(SHOPIFY) && shows(AMAZON) && nothingPending()) {
          return true;
        }
        Thread.sleep(500);
      }
      note(
          "P3: %s did not settle in 300 s: webhook=%s shopify=%s amazon=%s",
          what, shows(WEBHOOK), shows(SHOPIFY), shows(AMAZON));
      return false;
    }

    /**
     * The load: open loop, one order every 1/rate s; in each second the first `burst` orders go to
     * one hot SKU (a flash sale: coalescing is what keeps the channels' limits), the rest to random
     * other SKUs. Returns once every order is answered, false if some were not within 60 s.
     */
    boolean send(Orders orders, int forSeconds, String label, long seed)
        throws InterruptedException {
      int total = rate * forSeconds;
      CountDownLatch answered = new CountDownLatch(total);
      SplittableRandom random = new SplittableRandom(seed);
      long period = TimeUnit.SECONDS.toNanos(1) / rate;
      long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      long lateMax = 0;
      for (int n = 0; n < total; n++) {
        long due = start + n * period;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        lateMax = Math.max(lateMax, System.nanoTime() - due);
        int second = n / rate;
        int i = n % rate < burst ? second % hot : hot + random.nextInt(skus - hot);
        orders.sku[n] = i;
        orders.leaves[n] = --expected[i];
        int slot = n;
        String id = "p3-" + run + "-" + label + "-" + n;
        api.sendAsync("POST", "/orders", orderJson(i, id), id)
            .onComplete(
                done -> {
                  orders.answeredAt[slot] = micros(Instant.now());
                  orders.status[slot] = done.succeeded() ? done.result().status() : -1;
                  answered.countDown();
                });
      }
      orders.sendSeconds = (System.nanoTime() - start) / 1e9;
      orders.lateMaxNanos = lateMax;
      if (!answered.await(60, TimeUnit.SECONDS)) {
        note(
            "P3: %d %s orders unanswered 60 s after the last was sent", answered.getCount(), label);
        return false;
      }
      return true;
    }

    String marketplaceChannel(MarketplaceStub stub, String rules) {
      StringBuilder settings = new StringBuilder();
      stub.settings()
          .forEach(
              (k, v) ->
                  settings
                      .append(settings.length() == 0 ? "" : ",")
                      .append('"')
                      .append(k)
                      .append("\":\"")
                      .append(v)
                      .append('"'));
      return "{\"type\":\""
          + stub.channelType()
          + "\",\"endpoint\":\""
          + stub.url()
          + "\",\"credentials\":{\"accessToken\":\""
          + tokenReference
          + "\"},\"settings\":{"
          + settings
          + "}"
          + rules;
    }

    void putChannel(String code, String body) {
      retrying(
          () -> api.send("PUT", "/channels/" + code, body, UUID.randomUUID().toString()),
          Set.of(200, 201));
    }

    Api.Reply listing(String channel, String sku, String listingId) {
      return api.send(
          "PUT",
          "/channels/" + channel + "/listings/" + sku,
          "{\"listingId\":\"" + listingId + "\"}",
          UUID.randomUUID().toString());
    }

    /** Sends until the answer is expected; a 422 (not yet announced by stock) or 5xx is retried. */
    static Api.Reply retrying(Supplier<Api.Reply> request, Set<Integer> ok) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      Api.Reply reply;
      do {
        reply = request.get();
        if (ok.contains(reply.status())) {
          return reply;
        }
        if (reply.status() != 422 && reply.status() != 429 && reply.status() / 100 != 5) {
          break;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      } while (System.nanoTime() < deadline);
      throw new IllegalStateException("answered " + reply.status() + " " + reply.body());
    }

    static void parallel(List<Supplier<Api.Reply>> requests, Set<Integer> ok) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Api.Reply>> done = new ArrayList<>();
        for (Supplier<Api.Reply> request : requests) {
          done.add(pool.submit(() -> retrying(request, ok)));
        }
        for (Future<Api.Reply> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
    }

    boolean nothingPending() {
      for (String channel : CHANNELS) {
        Api.Reply status = api.get("/channels/" + channel + "/status");
        if (status.status() != 200 || status.json().path("pending").asLong(-1) != 0) {
          return false;
        }
      }
      return true;
    }

    /** Whether the channel shows every SKU's expected quantity now (its newest push). */
    boolean shows(String channel) {
      if (channel.equals(WEBHOOK)) {
        long[] version = new long[skus];
        long[] quantity = new long[skus];
        Arrays.fill(quantity, -1);
        for (WebhookReceiver.Received r : hooks.applied(WEBHOOK)) {
          Integer i = indexOfSku.get(r.body().path("sku").asText());
          if (i != null && r.version() >= version[i]) {
            version[i] = r.version();
            quantity[i] = r.quantity();
          }
        }
        for (int i = 0; i < skus; i++) {
          if (quantity[i] != expected[i]) {
            return false;
          }
        }
        return true;
      }
      for (int i = 0; i < skus; i++) {
        Long shown =
            channel.equals(SHOPIFY)
                ? shop.quantity(String.valueOf(SHOPIFY_ITEM_BASE + i))
                : amazon.quantity(sku(i));
        if (shown == null || shown != expected[i]) {
          return false;
        }
      }
      return true;
    }

    /** The quantities the channel's stub applied from {@code since} on, per SKU, in time order. */
    Map<Integer, List<Receipt>> receipts(String channel, Instant since) {
      Map<Integer, List<Receipt>> bySku = new HashMap<>();
      if (channel.equals(WEBHOOK)) {
        for (WebhookReceiver.Received r : hooks.applied(WEBHOOK)) {
          Integer i = indexOfSku.get(r.body().path("sku").asText());
          if (i != null && !r.at().isBefore(since)) {
            bySku.computeIfAbsent(i, k -> new ArrayList<>()).add(receipt(r.at(), r.quantity()));
          }
        }
      } else {
        MarketplaceStub stub = channel.equals(SHOPIFY) ? shop : amazon;
        for (MarketplaceStub.Applied a : stub.applied()) {
          Integer i =
              channel.equals(SHOPIFY)
                  ? (int)
                      (Long.parseLong(a.listingId().substring(a.listingId().lastIndexOf('/') + 1))
                          - SHOPIFY_ITEM_BASE)
                  : indexOfSku.get(a.listingId());
          if (i != null && i >= 0 && i < skus && !a.at().isBefore(since)) {
            bySku.computeIfAbsent(i, k -> new ArrayList<>()).add(receipt(a.at(), a.quantity()));
          }
        }
      }
      bySku.values().forEach(l -> l.sort((a, b) -> Long.compare(a.atMicros(), b.atMicros())));
      return bySku;
    }

    static Receipt receipt(Instant at, long quantity) {
      return new Receipt(micros(at), quantity);
    }

    static long micros(Instant at) {
      return at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
    }

    // --- the measurement ---------------------------------------------------------------------

    /**
     * The orders of the load: SKU, the quantity each leaves, when its answer arrived (µs), status.
     */
    static final class Orders {
      final int[] sku;
      final long[] leaves;
      final long[] answeredAt;
      final int[] status;
      double sendSeconds;
      long lateMaxNanos;

      Orders(int n) {
        sku = new int[n];
        leaves = new long[n];
        answeredAt = new long[n];
        status = new int[n];
      }
    }

    String orderJson(int i, String orderId) {
      return "{\"channel\":\""
          + WEBHOOK
          + "\",\"channelOrderId\":\""
          + orderId
          + "\",\"lines\":[{\"sku\":\""
          + sku(i)
          + "\",\"quantity\":1}]}";
    }

    int measure() throws Exception {
      Map<String, Map<String, Double>> outcomesBefore = pushOutcomes();
      Instant measuredFrom = Instant.now();

      // the same-run baseline: single changes at idle, one at a time, cold SKUs
      Map<String, List<Long>> idle = new LinkedHashMap<>();
      CHANNELS.forEach(c -> idle.put(c, new ArrayList<>()));
      for (int idleChange = 0; idleChange < idleChanges; idleChange++) {
        int n = idleChange;
        int i = skus - 1 - n;
        long leaves = --expected[i];
        Instant sent = Instant.now();
        Api.Reply reply =
            retrying(
                () ->
                    api.send(
                        "POST",
                        "/orders",
                        orderJson(i, "p3-" + run + "-idle-" + n),
                        UUID.randomUUID().toString()),
                Set.of(200, 201, 202));
        long answered = micros(Instant.now());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Long> seen = new HashMap<>();
        while (seen.size() < CHANNELS.size() && System.nanoTime() < deadline) {
          for (String channel : CHANNELS) {
            if (!seen.containsKey(channel)) {
              long at = reflectedAt(receipts(channel, sent).get(i), leaves);
              if (at != Long.MAX_VALUE) {
                seen.put(channel, Math.max(0, at - answered));
              }
            }
          }
          Thread.sleep(20);
        }
        for (String channel : CHANNELS) {
          idle.get(channel).add(seen.getOrDefault(channel, Long.MAX_VALUE));
        }
        note("P3 idle change %d (%s, order %d): %s", n + 1, sku(i), reply.status(), seen);
        Thread.sleep(1000);
      }

      int total = rate * seconds;
      Orders orders = new Orders(total);
      Instant loadFrom = Instant.now();
      Map<String, Long> cpuFrom = cpuTicks();
      if (!send(orders, seconds, "load", 42)) {
        return 3;
      }
      double sendSeconds = orders.sendSeconds;
      long lateMax = orders.lateMaxNanos;
      double loadSeconds = Duration.between(loadFrom, Instant.now()).toNanos() / 1e9;

      // drain: until each channel shows every final quantity, at most --drain-seconds
      Map<String, Double> drained = new LinkedHashMap<>();
      long drainFrom = System.nanoTime();
      long drainDeadline = drainFrom + TimeUnit.SECONDS.toNanos(drainSeconds);
      while (drained.size() < CHANNELS.size() && System.nanoTime() < drainDeadline) {
        for (String channel : CHANNELS) {
          if (!drained.containsKey(channel) && shows(channel)) {
            drained.put(channel, (System.nanoTime() - drainFrom) / 1e9);
          }
        }
        Thread.sleep(200);
      }
      Map<String, Map<String, Double>> outcomesAfter = pushOutcomes();
      Map<String, Long> cpuTo = cpuTicks();
      double measuredSeconds = Duration.between(loadFrom, Instant.now()).toNanos() / 1e9;

      long ok = 0;
      long errors = 0;
      Map<Integer, Long> statuses = new TreeMap<>();
      long hotChanges = 0;
      for (int n = 0; n < total; n++) {
        statuses.merge(orders.status[n], 1L, Long::sum);
        if (orders.status[n] / 100 == 2) {
          ok++;
          if (orders.sku[n] < hot) {
            hotChanges++;
          }
        } else {
          errors++;
        }
      }
      // when stock's event reflecting each order left stock (as the tap got it)
      Map<Integer, List<Receipt>> events = new HashMap<>();
      synchronized (stockEvents) {
        stockEvents.forEach((i, list) -> events.put(i, new ArrayList<>(list)));
      }
      events.values().forEach(l -> l.sort((a, b) -> Long.compare(a.atMicros(), b.atMicros())));
      long[] stockAt = new long[total];
      long[] toStock = new long[(int) ok];
      int k = 0;
      for (int n = 0; n < total; n++) {
        stockAt[n] = reflectedAt(events.get(orders.sku[n]), orders.leaves[n]);
        if (orders.status[n] / 100 == 2) {
          toStock[k++] =
              stockAt[n] == Long.MAX_VALUE
                  ? Long.MAX_VALUE
                  : Math.max(0, stockAt[n] - orders.answeredAt[n]);
        }
      }
      Arrays.sort(toStock);
      long lastStock = 0;
      for (int n = 0; n < total; n++) {
        if (stockAt[n] != Long.MAX_VALUE) {
          lastStock = Math.max(lastStock, stockAt[n]);
        }
      }
      double stockRate = lastStock == 0 ? 0 : k / ((lastStock - micros(loadFrom)) / 1e6);
      System.out.printf(
          Locale.ROOT,
          "P3 orders %d-skus rate=%d/s for %ds: sent=%d in %.1fs (latest send %.1fms late)"
              + " answered_2xx=%d errors=%d %s | bursts: %d orders/s to one of %d hot SKUs"
              + " (%d changes), the rest random over %d SKUs | order 2xx to stock's"
              + " stock.inventory.changed p50=%s p99=%s (stock kept up at %.0f orders/s)%n",
          skus,
          rate,
          seconds,
          total,
          sendSeconds,
          lateMax / 1e6,
          ok,
          errors,
          errors == 0 ? "" : statuses.toString(),
          burst,
          hot,
          hotChanges,
          skus - hot,
          percentile(toStock, 50),
          percentile(toStock, 99),
          stockRate);

      List<String> verdicts = new ArrayList<>();
      for (String channel : CHANNELS) {
        Map<Integer, List<Receipt>> got = receipts(channel, loadFrom);
        long[] latencies = new long[(int) ok];
        long[] fromStock = new long[(int) ok];
        // where the slow ones are: hot SKUs or the others, and in which 5 s of the load
        List<Long> hotLatencies = new ArrayList<>();
        List<Long> otherLatencies = new ArrayList<>();
        Map<Long, List<Long>> byWindow = new TreeMap<>();
        int m = 0;
        long unreflected = 0;
        for (int n = 0; n < total; n++) {
          if (orders.status[n] / 100 != 2) {
            continue;
          }
          long at = reflectedAt(got.get(orders.sku[n]), orders.leaves[n]);
          if (at == Long.MAX_VALUE) {
            unreflected++;
            latencies[m] = Long.MAX_VALUE;
            fromStock[m++] = Long.MAX_VALUE;
          } else {
            latencies[m] = Math.max(0, at - orders.answeredAt[n]);
            fromStock[m++] = stockAt[n] == Long.MAX_VALUE ? 0 : Math.max(0, at - stockAt[n]);
          }
          (orders.sku[n] < hot ? hotLatencies : otherLatencies).add(latencies[m - 1]);
          byWindow
              .computeIfAbsent(
                  (orders.answeredAt[n] - micros(loadFrom)) / 5_000_000, w -> new ArrayList<>())
              .add(latencies[m - 1]);
        }
        Arrays.sort(latencies);
        Arrays.sort(fromStock);
        long pushes = 0;
        long hotPushes = 0;
        for (Map.Entry<Integer, List<Receipt>> e : got.entrySet()) {
          pushes += e.getValue().size();
          if (e.getKey() < hot) {
            hotPushes += e.getValue().size();
          }
        }
        long[] calls = calls(channel, loadFrom);
        Map<String, Double> outcomes = delta(outcomesBefore, outcomesAfter, channel);
        JsonNode status = api.get("/channels/" + channel + "/status").json();
        List<Long> idles = idle.get(channel);
        System.out.printf(
            Locale.ROOT,
            "P3 %s latency p50=%s p99=%s max=%s unreflected=%d (from stock's event p50=%s p99=%s)"
                + " | idle_change=%s | pushes_per_change=%.2f"
                + " (pushes=%d changes=%d; hot SKUs %.2f = %d/%d, others %.2f) requests=%d"
                + " 429s=%d (limiter expects 0) | adapter outcomes %s | drained=%s"
                + " dead_lettered=%d pending=%d%n",
            name(channel),
            percentile(latencies, 50),
            percentile(latencies, 99),
            percentile(latencies, 100),
            unreflected,
            percentile(fromStock, 50),
            percentile(fromStock, 99),
            idles.stream().map(Run::millis).toList(),
            ok == 0 ? 0 : (double) pushes / ok,
            pushes,
            ok,
            hotChanges == 0 ? 0 : (double) hotPushes / hotChanges,
            hotPushes,
            hotChanges,
            ok - hotChanges == 0 ? 0 : (double) (pushes - hotPushes) / (ok - hotChanges),
            calls[0],
            calls[1],
            outcomes,
            drained.containsKey(channel)
                ? String.format(Locale.ROOT, "%.1fs", drained.get(channel))
                : "no(" + drainSeconds + "s)",
            status.path("deadLettered").asLong(-1),
            status.path("pending").asLong(-1));
        if (channel.equals(WEBHOOK)) {
          long[] byAnswer = leavesByAnswer(orders);
          List<Long> allByAnswer = new ArrayList<>();
          List<Long> hotByAnswer = new ArrayList<>();
          long outOfOrder = 0;
          for (int n = 0; n < total; n++) {
            if (orders.status[n] / 100 != 2) {
              continue;
            }
            long at = reflectedAt(got.get(orders.sku[n]), byAnswer[n]);
            long latency = at == Long.MAX_VALUE ? at : Math.max(0, at - orders.answeredAt[n]);
            allByAnswer.add(latency);
            if (orders.sku[n] < hot) {
              hotByAnswer.add(latency);
              outOfOrder += byAnswer[n] == orders.leaves[n] ? 0 : 1;
            }
          }
          System.out.printf(
              Locale.ROOT,
              "  %s latency with each SKU's orders counted in the order they were answered:"
                  + " p50=%s p99=%s (hot SKUs p50=%s p99=%s; %d of %d hot orders answered out of"
                  + " the order sent)%n",
              name(channel),
              percentile(sorted(allByAnswer), 50),
              percentile(sorted(allByAnswer), 99),
              percentile(sorted(hotByAnswer), 50),
              percentile(sorted(hotByAnswer), 99),
              outOfOrder,
              hotByAnswer.size());
          List<String> windows = new ArrayList<>();
          byWindow.forEach(
              (w, list) ->
                  windows.add((w * 5) + "-" + (w * 5 + 5) + "s " + percentile(sorted(list), 99)));
          System.out.printf(
              Locale.ROOT,
              "  %s latency p50/p99: hot SKUs %s/%s, others %s/%s | p99 by when the order was"
                  + " answered: %s%n",
              name(channel),
              percentile(sorted(hotLatencies), 50),
              percentile(sorted(hotLatencies), 99),
              percentile(sorted(otherLatencies), 50),
              percentile(sorted(otherLatencies), 99),
              String.join(", ", windows));
          long p99 = latencies.length == 0 ? Long.MAX_VALUE : at(latencies, 99);
          verdicts.add(
              "unthrottled (webhook) p99="
                  + millis(p99)
                  + (p99 < 1_000_000 ? " met" : " NOT met")
                  + " (target <1s)");
        }
        verdicts.add(name(channel) + " 429s=" + calls[1]);
        verdicts.add(
            String.format(
                Locale.ROOT,
                "%s pushes/change under burst=%.2f",
                name(channel),
                hotChanges == 0 ? 0 : (double) hotPushes / hotChanges));
      }
      System.out.println("P3 summary: " + String.join(", ", verdicts) + " (targets: 429s=0, <1)");
      if (!cpuFrom.isEmpty()) {
        long placed = ok;
        StringBuilder cpu = new StringBuilder();
        StringBuilder perOrder = new StringBuilder();
        cpuFrom.forEach(
            (name, from) -> {
              double used = (cpuTo.getOrDefault(name, from) - from) / (double) clockTicks;
              cpu.append(String.format(Locale.ROOT, " %s %.1f,", name, used));
              perOrder.append(
                  String.format(
                      Locale.ROOT, " %s %.2f ms,", name, placed == 0 ? 0 : 1000 * used / placed));
            });
        System.out.printf(
            Locale.ROOT,
            "  cpu P3 load and drain: %.1f s wall; CPU s:%s per order (%d):%s%n",
            measuredSeconds,
            cpu,
            ok,
            perOrder.substring(0, perOrder.length() - 1));
      }
      if (stateFile != null) {
        Files.writeString(
            Path.of(stateFile),
            "requests=" + (total + idleChanges) + "\nloadSeconds=" + loadSeconds + "\n",
            StandardCharsets.UTF_8);
      }
      note("P3 measured from %s, load from %s", measuredFrom, loadFrom);
      return 0;
    }

    /** CPU ticks (user + system) so far of each service named in --pids. */
    Map<String, Long> cpuTicks() {
      Map<String, Long> ticks = new LinkedHashMap<>();
      pids.forEach(
          (name, pid) -> {
            try {
              String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
              String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
              // utime and stime: fields 14 and 15 of stat, 12 and 13 after the command name
              ticks.put(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
            } catch (IOException | RuntimeException gone) {
              ticks.put(name, 0L);
            }
          });
      return ticks;
    }

    /**
     * What each order leaves of its SKU counted in the order the answers came back instead of the
     * order sent: concurrent orders of one SKU can be answered out of the order they were sent, and
     * at an order's 2xx the channel owes the quantity left after every order answered by then, not
     * after orders still unanswered. The same values as {@code leaves}, reassigned.
     */
    static long[] leavesByAnswer(Orders orders) {
      Map<Integer, List<Integer>> bySku = new HashMap<>();
      for (int n = 0; n < orders.sku.length; n++) {
        bySku.computeIfAbsent(orders.sku[n], i -> new ArrayList<>()).add(n);
      }
      long[] leaves = new long[orders.sku.length];
      for (List<Integer> sent : bySku.values()) {
        List<Integer> answered = new ArrayList<>(sent);
        answered.sort((a, b) -> Long.compare(orders.answeredAt[a], orders.answeredAt[b]));
        for (int r = 0; r < sent.size(); r++) {
          leaves[answered.get(r)] = orders.leaves[sent.get(r)];
        }
      }
      return leaves;
    }

    /** When the channel first applied a quantity of at most {@code leaves}; MAX_VALUE if never. */
    static long reflectedAt(List<Receipt> receipts, long leaves) {
      if (receipts != null) {
        for (Receipt r : receipts) {
          if (r.quantity() <= leaves) {
            return r.atMicros();
          }
        }
      }
      return Long.MAX_VALUE;
    }

    /** Requests the channel's API received since {@code since}, and of them those throttled. */
    long[] calls(String channel, Instant since) {
      if (channel.equals(WEBHOOK)) {
        List<WebhookReceiver.Received> all =
            hooks.received(WEBHOOK).stream().filter(r -> !r.at().isBefore(since)).toList();
        return new long[] {all.size(), all.stream().filter(r -> r.answered() == 429).count()};
      }
      List<RecordedRequest> all =
          (channel.equals(SHOPIFY) ? shop : amazon)
              .requests().stream().filter(r -> !r.at().isBefore(since)).toList();
      long throttled =
          all.stream()
              .filter(
                  r ->
                      channel.equals(SHOPIFY)
                          ? r.answer().contains("\"THROTTLED\"")
                          : r.status() == 429)
              .count();
      return new long[] {all.size(), throttled};
    }

    /** channel-sync's onhand_channel_sync_pushes_total, by channel and outcome. */
    Map<String, Map<String, Double>> pushOutcomes() {
      Map<String, Map<String, Double>> byChannel = new HashMap<>();
      try {
        HttpResponse<String> metrics =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + channelSyncPort + "/q/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        Matcher line = PUSH_METRIC.matcher(metrics.body());
        while (line.find()) {
          Map<String, String> labels = new HashMap<>();
          Matcher label = LABEL.matcher(line.group(1));
          while (label.find()) {
            labels.put(label.group(1), label.group(2));
          }
          byChannel
              .computeIfAbsent(labels.get("channel"), k -> new TreeMap<>())
              .merge(labels.get("outcome"), Double.parseDouble(line.group(2)), Double::sum);
        }
      } catch (IOException e) {
        note("P3: channel-sync metrics not read: %s", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return byChannel;
    }

    static Map<String, Double> delta(
        Map<String, Map<String, Double>> before,
        Map<String, Map<String, Double>> after,
        String channel) {
      Map<String, Double> delta = new TreeMap<>();
      after
          .getOrDefault(channel, Map.of())
          .forEach(
              (outcome, value) ->
                  delta.put(
                      outcome,
                      value - before.getOrDefault(channel, Map.of()).getOrDefault(outcome, 0.0)));
      return delta;
    }

    static String name(String channel) {
      return channel.substring("p3-".length());
    }

    static long[] sorted(List<Long> values) {
      return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    static long at(long[] sorted, double percent) {
      int rank = (int) Math.ceil(percent / 100 * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String percentile(long[] sorted, double percent) {
      return sorted.length == 0 ? "-" : millis(at(sorted, percent));
    }

    static String millis(long micros) {
      return micros == Long.MAX_VALUE
          ? "unreflected"
          : String.format(Locale.ROOT, "%.1fms", micros / 1000.0);
    }
  }

  static void note(String format, Object... args) {
    System.err.println(String.format(Locale.ROOT, format, args));
  }
}
