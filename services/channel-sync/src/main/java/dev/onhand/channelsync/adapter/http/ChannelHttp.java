package dev.onhand.channelsync.adapter.http;

import dev.onhand.channelsync.adapter.PushResult;
import dev.onhand.channelsync.adapter.PushResult.Outcome;
import dev.onhand.channelsync.adapter.QuantityPush;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one HTTP client the marketplace adapters call channel APIs with: pooled keep-alive
 * connections, a connect timeout and a per-request timeout, so a channel that hangs costs a bounded
 * wait and a RETRY, never a stuck push. Also the small readings of an answer every adapter needs
 * (Retry-After, a short excerpt for the push record).
 */
@ApplicationScoped
public class ChannelHttp {

  /** Longest excerpt of a channel's answer kept in a {@link PushResult}. */
  static final int EXCERPT = 300;

  private final WebClient client;
  private final Duration timeout;

  @Inject
  public ChannelHttp(
      Vertx vertx,
      @ConfigProperty(name = "onhand.channel-adapters.request-timeout", defaultValue = "PT10S")
          Duration timeout) {
    this.timeout = timeout;
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) Math.min(timeout.toMillis(), 5_000))
                .setKeepAlive(true)
                .setMaxPoolSize(16)
                .setFollowRedirects(false)
                .setUserAgent("Onhand-channel-sync"));
  }

  /** A request to an absolute URL that gives up after the configured timeout. */
  public HttpRequest<Buffer> request(HttpMethod method, String url) {
    return client.requestAbs(method, url).timeout(timeout.toMillis());
  }

  @PreDestroy
  void close() {
    client.close();
  }

  /** The endpoint without a trailing slash, so paths can be appended to it. */
  public static String base(URI endpoint) {
    String text = endpoint.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  /** One path segment, percent-encoded (a SKU may hold '/', '#' or spaces). */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * The wait a Retry-After header asks for: delta-seconds (decimals tolerated) or an HTTP date;
   * null when absent or unreadable.
   */
  public static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    try {
      double seconds = Double.parseDouble(value);
      return seconds <= 0 ? Duration.ZERO : Duration.ofMillis((long) Math.ceil(seconds * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(Instant.now(), at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  /** A short, single-line excerpt of an answer body for the push record. */
  public static String excerpt(String body) {
    if (body == null) {
      return "";
    }
    String line = body.replaceAll("\\s+", " ").trim();
    return line.length() <= EXCERPT ? line : line.substring(0, EXCERPT - 1) + "…";
  }

  /** The body of an answer as text, empty when there is none. */
  public static String body(HttpResponse<Buffer> response) {
    String body = response.bodyAsString();
    return body == null ? "" : body;
  }

  /** The same outcome for every push of a call. */
  public static List<PushResult> all(
      List<QuantityPush> pushes, Outcome outcome, Duration retryAfter, int status, String text) {
    String excerpt = excerpt(text);
    return pushes.stream()
        .map(push -> new PushResult(push.sku(), outcome, retryAfter, status, excerpt))
        .toList();
  }

  /** Runs {@code then} after {@code wait} (a read waiting out a channel's limit). */
  public static <T> Uni<T> later(Duration wait, Supplier<Uni<T>> then) {
    return Uni.createFrom().voidItem().onItem().delayIt().by(wait).flatMap(ignored -> then.get());
  }

  /**
   * A call that never got an answer (refused, reset, timed out) is transient: RETRY with the
   * caller's backoff. The channel may have applied it; the adapters make a repeat harmless.
   */
  public static Uni<List<PushResult>> unanswered(List<QuantityPush> pushes, Throwable failure) {
    return Uni.createFrom().item(all(pushes, Outcome.RETRY, null, 0, "no answer: " + failure));
  }
}
