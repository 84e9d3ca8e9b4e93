package dev.onhand.gateway.proxy;

import dev.onhand.gateway.auth.ApiKeys;
import dev.onhand.gateway.auth.Caller;
import dev.onhand.gateway.auth.TokenBucket;
import dev.onhand.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.MDC;

/**
 * The gateway's request path: request id and trace context, authentication, scope, rate limit, then
 * the upstream's reverse proxy. Every refusal is problem+json and reaches no upstream.
 */
@ApplicationScoped
public class GatewayRoutes {
  private static final int WEBHOOK_BUCKETS = 10_000;

  private final ApiKeys keys;
  private final Upstreams upstreams;
  private final Problems problems;
  private final GatewayConfig config;
  private final MeterRegistry registry;
  private final double traceSampleRatio;
  private final boolean httpSpans;
  private final Map<String, TokenBucket> webhookBuckets = new ConcurrentHashMap<>();
  // looked up once per upstream / refusal code, not per request
  private final Map<String, Counter> forwarded = new ConcurrentHashMap<>();
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();

  public GatewayRoutes(
      ApiKeys keys,
      Upstreams upstreams,
      Problems problems,
      GatewayConfig config,
      MeterRegistry registry,
      @ConfigProperty(name = "quarkus.otel.traces.sampler.arg", defaultValue = "1.0")
          double traceSampleRatio,
      @ConfigProperty(name = "quarkus.otel.instrument.vertx-http", defaultValue = "true")
          boolean httpSpans) {
    this.keys = keys;
    this.upstreams = upstreams;
    this.problems = problems;
    this.config = config;
    this.registry = registry;
    this.traceSampleRatio = traceSampleRatio;
    this.httpSpans = httpSpans;
  }

  void install(@Observes Router router) {
    router.route("/api/v1/*").order(10).handler(this::api);
    router.route(Routes.WEBHOOKS + "/*").order(10).handler(this::webhook);
  }

  private void api(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    prepare(request, response);
    String path = request.path();

    var route = Routes.of(path);
    if (route.isEmpty()) {
      refuse(response, 404, "NOT_FOUND", "Not found", "No resource at this path.", path);
      return;
    }
    var caller = keys.authenticate(request);
    if (caller.isEmpty()) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"onhand\"");
      refuse(
          response,
          401,
          "UNAUTHENTICATED",
          "Unauthorized",
          "A valid API key or token is required (Authorization: Bearer <key or JWT>, or X-Api-Key).",
          path);
      return;
    }
    Caller who = caller.get();
    String scope = route.get().scopeFor(request.method().name());
    if (!who.may(scope)) {
      refuse(
          response,
          403,
          "FORBIDDEN",
          "Forbidden",
          "This API key or token lacks the scope " + scope + ".",
          path);
      return;
    }
    TokenBucket.Decision decision = who.bucket().take();
    rateLimitHeaders(response, decision);
    if (!decision.allowed()) {
      response.putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
      refuse(
          response,
          429,
          "RATE_LIMITED",
          "Too many requests",
          "This API key's rate limit is exhausted; retry after the indicated delay.",
          path);
      return;
    }
    var proxy = upstreams.proxy(route.get().upstream());
    if (proxy.isEmpty()) {
      response.putHeader("Retry-After", "30");
      refuse(
          response,
          503,
          "UPSTREAM_NOT_DEPLOYED",
          "Service unavailable",
          "The " + route.get().upstream() + " service is not deployed here.",
          path);
      return;
    }
    // the upstream records who acted; credentials stop here
    request.headers().remove("Authorization").remove(ApiKeys.HEADER).set("X-Actor", who.name());
    count(route.get().upstream());
    proxy.get().handle(request);
  }

  private void webhook(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    prepare(request, response);
    String length = request.getHeader("Content-Length");
    if (length == null && request.method().name().equals("POST")) {
      refuse(
          response,
          411,
          "LENGTH_REQUIRED",
          "Length required",
          "Webhooks must state their Content-Length.",
          request.path());
      return;
    }
    if (length != null && parse(length) > config.webhooks().maxBodyBytes()) {
      refuse(
          response,
          413,
          "PAYLOAD_TOO_LARGE",
          "Payload too large",
          "A webhook body may be at most " + config.webhooks().maxBodyBytes() + " bytes.",
          request.path());
      return;
    }
    String sender = request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
    if (webhookBuckets.size() > WEBHOOK_BUCKETS) {
      webhookBuckets.clear(); // bounded memory under an address-spraying flood
    }
    TokenBucket.Decision decision =
        webhookBuckets
            .computeIfAbsent(
                sender,
                s -> new TokenBucket(config.webhooks().ratePerSecond(), config.webhooks().burst()))
            .take();
    if (!decision.allowed()) {
      response.putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
      refuse(
          response,
          429,
          "RATE_LIMITED",
          "Too many requests",
          "Too many webhooks from this sender.",
          request.path());
      return;
    }
    var proxy = upstreams.proxy(Routes.WEBHOOK_UPSTREAM);
    if (proxy.isEmpty()) {
      refuse(
          response,
          503,
          "UPSTREAM_NOT_DEPLOYED",
          "Service unavailable",
          "Webhooks are not accepted here yet.",
          request.path());
      return;
    }
    request.headers().remove("Authorization").remove(ApiKeys.HEADER).remove("X-Actor");
    count(Routes.WEBHOOK_UPSTREAM);
    proxy.get().handle(request);
  }

  /**
   * Gives the request an id (the client's, if it is a safe one) and the W3C trace context of the
   * gateway's hop, on the forwarded request (and so in the access log) and in the MDC of the
   * gateway's own log lines; the id also goes on the response. With OpenTelemetry's HTTP
   * instrumentation on ({@code ONHAND_GATEWAY_HTTP_SPANS=true}) the context is that of its span;
   * otherwise {@link TraceContext} makes it without recording a span.
   */
  private void prepare(HttpServerRequest request, HttpServerResponse response) {
    String requestId = request.getHeader(Upstreams.REQUEST_ID);
    if (requestId == null || !safeRequestId(requestId)) {
      requestId = randomUuid();
      request.headers().set(Upstreams.REQUEST_ID, requestId);
    }
    response.putHeader(Upstreams.REQUEST_ID, requestId);
    MDC.put("requestId", requestId);
    Context context = httpSpans ? Context.current() : null;
    if (context != null && Span.fromContext(context).getSpanContext().isValid()) {
      request.headers().remove("traceparent").remove("tracestate");
      W3CTraceContextPropagator.getInstance()
          .inject(context, request.headers(), (headers, name, value) -> headers.set(name, value));
      return;
    }
    TraceContext.Hop hop = TraceContext.next(request.getHeader("traceparent"), traceSampleRatio);
    request.headers().set("traceparent", hop.traceparent());
    if (!hop.continued()) {
      request.headers().remove("tracestate");
    }
    MDC.put("traceId", hop.traceId());
    MDC.put("spanId", hop.spanId());
  }

  /** {@code [A-Za-z0-9._:-]{1,128}}: safe to forward and to log as it is. */
  static boolean safeRequestId(String id) {
    int length = id.length();
    if (length == 0 || length > 128) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * A random (version 4) UUID. A request id needs to be unique, not unguessable, so it comes from
   * ThreadLocalRandom instead of {@link UUID#randomUUID()}'s shared SecureRandom.
   */
  private static String randomUuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  private void refuse(
      HttpServerResponse response,
      int status,
      String code,
      String title,
      String detail,
      String path) {
    refused
        .computeIfAbsent(code, c -> registry.counter("onhand.gateway.refused", "code", c))
        .increment();
    problems.send(response, status, code, title, detail, path);
  }

  private void count(String upstream) {
    forwarded
        .computeIfAbsent(upstream, u -> registry.counter("onhand.gateway.forwarded", "upstream", u))
        .increment();
  }

  private static void rateLimitHeaders(HttpServerResponse response, TokenBucket.Decision d) {
    response
        .putHeader("RateLimit-Limit", Integer.toString(d.limit()))
        .putHeader("RateLimit-Remaining", Integer.toString(d.remaining()))
        .putHeader("RateLimit-Reset", Long.toString(d.allowed() ? 0 : d.retryAfterSeconds()));
  }

  private static long parse(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
