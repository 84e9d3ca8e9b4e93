package dev.onhand.gateway.proxy;

import dev.onhand.gateway.auth.ApiKeys;
import dev.onhand.gateway.auth.Caller;
import dev.onhand.gateway.auth.TokenBucket;
import dev.onhand.gateway.config.GatewayConfig;
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
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * The gateway's request path: request id and trace context, authentication, scope, rate limit, then
 * the upstream's reverse proxy. Every refusal is problem+json and reaches no upstream.
 */
@ApplicationScoped
public class GatewayRoutes {
  private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final int WEBHOOK_BUCKETS = 10_000;

  private final ApiKeys keys;
  private final Upstreams upstreams;
  private final Problems problems;
  private final GatewayConfig config;
  private final MeterRegistry registry;
  private final Map<String, TokenBucket> webhookBuckets = new ConcurrentHashMap<>();

  public GatewayRoutes(
      ApiKeys keys,
      Upstreams upstreams,
      Problems problems,
      GatewayConfig config,
      MeterRegistry registry) {
    this.keys = keys;
    this.upstreams = upstreams;
    this.problems = problems;
    this.config = config;
    this.registry = registry;
  }

  void install(@Observes Router router) {
    router.route("/api/v1/*").order(10).handler(this::api);
    router.route(Routes.WEBHOOKS + "/*").order(10).handler(this::webhook);
  }

  private void api(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    String requestId = prepare(request, response);
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
          "A valid API key is required (Authorization: Bearer <key> or X-Api-Key).",
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
          "This API key lacks the scope " + scope + ".",
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
    MDC.put("requestId", requestId);
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
   * gateway's span, on the forwarded request and on the response.
   */
  private static String prepare(HttpServerRequest request, HttpServerResponse response) {
    String requestId = request.getHeader(Upstreams.REQUEST_ID);
    if (requestId == null || !SAFE_REQUEST_ID.matcher(requestId).matches()) {
      requestId = UUID.randomUUID().toString();
      request.headers().set(Upstreams.REQUEST_ID, requestId);
    }
    response.putHeader(Upstreams.REQUEST_ID, requestId);
    Context context = Context.current();
    if (Span.fromContext(context).getSpanContext().isValid()) {
      request.headers().remove("traceparent").remove("tracestate");
      W3CTraceContextPropagator.getInstance()
          .inject(context, request.headers(), (headers, name, value) -> headers.set(name, value));
    }
    return requestId;
  }

  private void refuse(
      HttpServerResponse response,
      int status,
      String code,
      String title,
      String detail,
      String path) {
    registry.counter("onhand.gateway.refused", "code", code).increment();
    problems.send(response, status, code, title, detail, path);
  }

  private void count(String upstream) {
    registry.counter("onhand.gateway.forwarded", "upstream", upstream).increment();
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
