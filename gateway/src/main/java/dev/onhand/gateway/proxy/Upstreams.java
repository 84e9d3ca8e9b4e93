package dev.onhand.gateway.proxy;

import dev.onhand.gateway.config.GatewayConfig;
import dev.onhand.platform.problem.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * One reverse proxy (Vert.x {@code HttpProxy}) per configured upstream, streaming bodies both ways,
 * each behind its own circuit breaker. An upstream that cannot be reached answers 502, one whose
 * breaker is open 503, one that sends nothing within its timeout 504: all problem+json.
 *
 * <p>Per upstream it also counts the answers by status class ({@code
 * onhand_gateway_upstream_responses_total}) and times them until their head arrived ({@code
 * onhand_gateway_upstream_response_seconds}), with meters created once: these replace the HTTP
 * server metrics, whose tag building per request cost more than the proxying around it.
 */
@ApplicationScoped
public class Upstreams {
  private static final Logger LOG = Logger.getLogger(Upstreams.class);
  public static final String REQUEST_ID = "X-Request-Id";

  private final Map<String, HttpProxy> proxies = new HashMap<>();
  private final Map<String, URI> urls = new HashMap<>();
  private final Vertx vertx;
  private final HttpClient client;
  private final ThreadLocal<HttpClient> eventLoopClient = new ThreadLocal<>();
  private final Problems problems;
  private final MeterRegistry registry;

  public Upstreams(Vertx vertx, GatewayConfig config, Problems problems, MeterRegistry registry) {
    this.vertx = vertx;
    this.problems = problems;
    this.registry = registry;
    this.client = vertx.createHttpClient(clientOptions());
    config
        .upstreams()
        .forEach(
            (name, upstream) ->
                upstream
                    .url()
                    .filter(url -> !url.isBlank())
                    .ifPresent(
                        url -> {
                          URI uri = URI.create(url);
                          urls.put(name, uri);
                          proxies.put(name, proxy(name, uri, upstream));
                        }));
  }

  public Optional<HttpProxy> proxy(String upstream) {
    return Optional.ofNullable(proxies.get(upstream));
  }

  public Map<String, URI> urls() {
    return Map.copyOf(urls);
  }

  /** A client for calls of the gateway's own (health checks); forwarding uses its event loop's. */
  public HttpClient client() {
    return client;
  }

  private static HttpClientOptions clientOptions() {
    return new HttpClientOptions().setMaxPoolSize(64).setKeepAlive(true).setTcpNoDelay(true);
  }

  /**
   * The forwarding client of the calling event loop. A Vert.x client pool lends any idle connection
   * to any caller, and a connection opened on another event loop costs a handful of cross-thread
   * hand-offs per request (writing the request head, creating the stream, every response event).
   * One client per event loop keeps each forwarded request on the thread that received it: its
   * connections are only ever opened, and used, from that loop.
   */
  private HttpClient forwardingClient() {
    HttpClient local = eventLoopClient.get();
    if (local == null) {
      local = Vertx.currentContext() == null ? client : vertx.createHttpClient(clientOptions());
      if (local != client) {
        eventLoopClient.set(local);
      }
    }
    return local;
  }

  private HttpProxy proxy(String name, URI uri, GatewayConfig.Upstream upstream) {
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    GatewayConfig.CircuitBreaker settings = upstream.circuitBreaker();
    // timeouts are the client's (connect and idle, below); no event-bus notifications
    CircuitBreaker breaker =
        CircuitBreaker.create(
                "upstream-" + name,
                vertx,
                new CircuitBreakerOptions()
                    .setMaxFailures(settings.maxFailures())
                    .setFailuresRollingWindow(settings.window().toMillis())
                    .setResetTimeout(settings.resetTimeout().toMillis())
                    .setTimeout(-1)
                    .setNotificationAddress(null))
            .openHandler(v -> LOG.infof("Circuit breaker of %s is now OPEN", name))
            .halfOpenHandler(v -> LOG.infof("Circuit breaker of %s is now HALF_OPEN", name))
            .closeHandler(v -> LOG.infof("Circuit breaker of %s is now CLOSED", name));
    String host = uri.getHost();
    long connectTimeout = upstream.connectTimeout().toMillis();
    long idleTimeout = upstream.timeout().toMillis();
    return HttpProxy.reverseProxy(client)
        .originRequestProvider(
            (request, ignored) ->
                forwardingClient()
                    .request(
                        new RequestOptions()
                            .setHost(host)
                            .setPort(port)
                            .setConnectTimeout(connectTimeout)
                            .setIdleTimeout(idleTimeout)))
        .addInterceptor(new Guarded(name, breaker));
  }

  /** Sends through the breaker and turns a failure into the problem the client sees. */
  private final class Guarded implements ProxyInterceptor {
    private final String name;
    private final CircuitBreaker breaker;
    private final Timer responseTime;
    private final Counter[] byStatusClass = new Counter[6];

    Guarded(String name, CircuitBreaker breaker) {
      this.name = name;
      this.breaker = breaker;
      this.responseTime =
          Timer.builder("onhand.gateway.upstream.response")
              .description("Time until the upstream's response head arrived")
              .tag("upstream", name)
              .register(registry);
      for (int i = 1; i <= 5; i++) {
        byStatusClass[i] =
            Counter.builder("onhand.gateway.upstream.responses")
                .description("Answers the gateway sent for this upstream, by status class")
                .tag("upstream", name)
                .tag("status", i + "xx")
                .register(registry);
      }
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
      long start = System.nanoTime();
      return breaker
          .<ProxyResponse>execute(promise -> context.sendRequest().onComplete(promise))
          .transform(
              done -> {
                if (done.succeeded()) {
                  responseTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                  count(done.result().getStatusCode());
                  return Future.succeededFuture(done.result());
                }
                return Future.succeededFuture(failed(context, unwrap(done.cause())));
              });
    }

    private void count(int status) {
      int statusClass = status / 100;
      if (statusClass >= 1 && statusClass <= 5) {
        byStatusClass[statusClass].increment();
      }
    }

    /** The problem for a call that got no answer, or that the open breaker did not let through. */
    private ProxyResponse failed(ProxyContext context, Throwable failure) {
      HttpServerRequest request = context.request().proxiedRequest();
      int status;
      String code;
      String detail;
      if (failure instanceof OpenCircuitException) {
        status = 503;
        code = "UPSTREAM_UNAVAILABLE";
        detail = "The " + name + " service is failing; calls to it are paused. Retry shortly.";
      } else if (isTimeout(failure)) {
        status = 504;
        code = "UPSTREAM_TIMEOUT";
        detail = "The " + name + " service did not answer in time.";
      } else {
        status = 502;
        code = "UPSTREAM_UNREACHABLE";
        detail = "The " + name + " service could not be reached.";
      }
      count(status);
      LOG.warnf(
          "%s %s -> %s: %d %s (%s)",
          request.method(), request.path(), name, status, code, failure.toString());
      ProxyResponse response =
          context
              .request()
              .release()
              .response()
              .setStatusCode(status)
              .putHeader("Content-Type", Problem.MEDIA_TYPE)
              .setBody(
                  Body.body(
                      problems.body(
                          status,
                          code,
                          status == 504
                              ? "Gateway timeout"
                              : status == 503 ? "Service unavailable" : "Bad gateway",
                          detail,
                          request.path())));
      if (status == 503) {
        response.putHeader("Retry-After", "5");
      }
      return response;
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean isTimeout(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException
          || t.getClass().getSimpleName().contains("Timeout")
          || (t.getMessage() != null && t.getMessage().contains("timeout"))) {
        return !(t instanceof ConnectException);
      }
    }
    return false;
  }
}
