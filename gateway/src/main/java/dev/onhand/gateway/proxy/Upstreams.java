package dev.onhand.gateway.proxy;

import dev.onhand.gateway.config.GatewayConfig;
import dev.onhand.platform.problem.Problem;
import io.smallrye.faulttolerance.api.TypedGuard;
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
import jakarta.enterprise.util.TypeLiteral;
import java.net.ConnectException;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * One reverse proxy (Vert.x {@code HttpProxy}) per configured upstream, streaming bodies both ways,
 * each behind its own circuit breaker. An upstream that cannot be reached answers 502, one whose
 * breaker is open 503, one that sends nothing within its timeout 504: all problem+json.
 */
@ApplicationScoped
public class Upstreams {
  private static final Logger LOG = Logger.getLogger(Upstreams.class);
  public static final String REQUEST_ID = "X-Request-Id";

  private final Map<String, HttpProxy> proxies = new HashMap<>();
  private final Map<String, URI> urls = new HashMap<>();
  private final HttpClient client;
  private final Problems problems;

  public Upstreams(Vertx vertx, GatewayConfig config, Problems problems) {
    this.problems = problems;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setMaxPoolSize(64).setKeepAlive(true).setTcpNoDelay(true));
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

  public HttpClient client() {
    return client;
  }

  private HttpProxy proxy(String name, URI uri, GatewayConfig.Upstream upstream) {
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    TypedGuard<CompletionStage<ProxyResponse>> breaker =
        TypedGuard.create(new TypeLiteral<CompletionStage<ProxyResponse>>() {})
            .withDescription("upstream " + name)
            .withCircuitBreaker()
            .name("upstream-" + name)
            .requestVolumeThreshold(upstream.circuitBreaker().requestVolume())
            .failureRatio(upstream.circuitBreaker().failureRatio())
            .delay(upstream.circuitBreaker().delay().toMillis(), ChronoUnit.MILLIS)
            .onStateChange(state -> LOG.infof("Circuit breaker of %s is now %s", name, state))
            .done()
            .withThreadOffload(false)
            .build();
    return HttpProxy.reverseProxy(client)
        .originRequestProvider(
            (request, http) ->
                http.request(
                    new RequestOptions()
                        .setHost(uri.getHost())
                        .setPort(port)
                        .setConnectTimeout(upstream.connectTimeout().toMillis())
                        .setIdleTimeout(upstream.timeout().toMillis())))
        .addInterceptor(new Guarded(name, breaker));
  }

  /** Sends through the breaker and turns a failure into the problem the client sees. */
  private final class Guarded implements ProxyInterceptor {
    private final String name;
    private final TypedGuard<CompletionStage<ProxyResponse>> breaker;

    Guarded(String name, TypedGuard<CompletionStage<ProxyResponse>> breaker) {
      this.name = name;
      this.breaker = breaker;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
      CompletionStage<ProxyResponse> sent;
      try {
        sent = breaker.get(() -> context.sendRequest().toCompletionStage());
      } catch (RuntimeException e) {
        sent = Future.<ProxyResponse>failedFuture(e).toCompletionStage();
      }
      return Future.fromCompletionStage(sent)
          .recover(failure -> Future.succeededFuture(failed(context, unwrap(failure))));
    }

    private ProxyResponse failed(ProxyContext context, Throwable failure) {
      HttpServerRequest request = context.request().proxiedRequest();
      int status;
      String code;
      String detail;
      if (failure instanceof CircuitBreakerOpenException) {
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
