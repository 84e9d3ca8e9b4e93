package dev.onhand.channelsync.stub;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every marketplace stub shares: a local HTTP server on a free port that keeps a quantity per
 * listing, accepts one access token, records every request with its answer, and can be told to fail
 * with 500 for the next n requests or for a while. Requests are answered one at a time on the
 * stub's event loop, so its state changes like a real API's would, request by request.
 *
 * <p>Use: {@code try (var stub = new WalmartStub().start()) { stub.listing("SKU-1", 4); ...
 * stub.url() ... stub.quantity("SKU-1") ... stub.requests() }}.
 */
public abstract class MarketplaceStub implements AutoCloseable {

  /** The token every stub accepts unless told otherwise. */
  public static final String TOKEN = "stub-access-token";

  /** What a stub answers to one request; {@code drop} closes the connection instead. */
  protected record Answer(int status, Map<String, String> headers, String body, boolean drop) {

    public static Answer json(int status, JsonObject body) {
      return new Answer(status, Map.of("Content-Type", "application/json"), body.encode(), false);
    }

    public Answer header(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Answer(status, more, body, drop);
    }

    public Answer dropped() {
      return new Answer(status, headers, body, true);
    }
  }

  /**
   * One quantity the API set on a listing (not one set behind its back with {@link #listing}), at
   * the time it was set.
   */
  public record Applied(Instant at, String listingId, long quantity) {}

  private final Vertx vertx = Vertx.vertx();
  private HttpServer server;
  private final Map<String, Long> quantities = new ConcurrentHashMap<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<Applied> applied = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile Instant failUntil = Instant.MIN;
  private volatile String accessToken = TOKEN;

  /** Starts listening on a free port of 127.0.0.1. */
  public MarketplaceStub start() {
    try {
      server =
          vertx
              .createHttpServer()
              .requestHandler(this::receive)
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception failed) {
      throw new IllegalStateException("stub did not start", failed);
    }
    return this;
  }

  /** The base URL to configure as the channel's endpoint. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  public String accessToken() {
    return accessToken;
  }

  /** The channel type (channel-sync's ChannelType name) whose adapter speaks this stub's API. */
  public abstract String channelType();

  /** The credentials a channel pointing at this stub resolves to. */
  public Map<String, String> credentials() {
    return Map.of("accessToken", accessToken());
  }

  /** The channel settings (the marketplace's own identifiers) this stub's account has. */
  public abstract Map<String, String> settings();

  /** Accepts another token from now on (the old one is refused with the API's auth error). */
  public void accessToken(String token) {
    this.accessToken = token;
  }

  /** Creates the listing, or sets its quantity behind the adapter's back (another app did). */
  public MarketplaceStub listing(String listingId, long quantity) {
    quantities.put(listingKey(listingId), quantity);
    return this;
  }

  /** The listing's current quantity; null when the stub does not know the listing. */
  public Long quantity(String listingId) {
    return quantities.get(listingKey(listingId));
  }

  /** Every request so far, in arrival order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** Every quantity the API set, in order, with when (what a benchmark times pushes by). */
  public List<Applied> applied() {
    return List.copyOf(applied);
  }

  /** The next {@code n} requests are answered 500. */
  public void failNext(int n) {
    failNext.set(n);
  }

  /** Every request for {@code period} from now is answered 500. */
  public void failFor(Duration period) {
    failUntil = Instant.now().plus(period);
  }

  /** Forgets listings, requests and every switch, as if just started. */
  public void reset() {
    quantities.clear();
    requests.clear();
    applied.clear();
    failNext.set(0);
    failUntil = Instant.MIN;
    accessToken = TOKEN;
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** The stub's answer to one request (failures and recording are done around it). */
  protected abstract Answer answer(RecordedRequest request);

  /** What the API answers when it fails inside. */
  protected abstract Answer internalError();

  /** How the API names a listing, so tests may use the short or the full form. */
  protected String listingKey(String listingId) {
    return listingId;
  }

  protected Map<String, Long> quantities() {
    return quantities;
  }

  /** Sets a listing's quantity as the API does, recording it in {@link #applied}. */
  protected void apply(String listingKey, long quantity) {
    quantities.put(listingKey, quantity);
    applied.add(new Applied(Instant.now(), listingKey, quantity));
  }

  private void receive(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            buffer -> {
              RecordedRequest incoming =
                  new RecordedRequest(
                      Instant.now(),
                      request.method().name(),
                      request.path(),
                      firstValues(request.params(), false),
                      firstValues(request.headers(), true),
                      buffer == null ? "" : buffer.toString(),
                      0,
                      "");
              Answer answer;
              if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                  || Instant.now().isBefore(failUntil)) {
                answer = internalError();
              } else {
                try {
                  answer = answer(incoming);
                } catch (RuntimeException bug) {
                  answer = Answer.json(500, new JsonObject().put("stubError", bug.toString()));
                }
              }
              requests.add(
                  new RecordedRequest(
                      incoming.at(),
                      incoming.method(),
                      incoming.path(),
                      incoming.query(),
                      incoming.headers(),
                      incoming.body(),
                      answer.drop() ? 0 : answer.status(),
                      answer.drop() ? "" : answer.body()));
              if (answer.drop()) {
                request.connection().close();
                return;
              }
              var response = request.response().setStatusCode(answer.status());
              answer.headers().forEach(response::putHeader);
              response.end(Buffer.buffer(answer.body()));
            });
  }

  private static Map<String, String> firstValues(MultiMap values, boolean lowerCase) {
    Map<String, String> first = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : values) {
      String name = lowerCase ? entry.getKey().toLowerCase(Locale.ROOT) : entry.getKey();
      first.putIfAbsent(name, entry.getValue());
    }
    return first;
  }
}
