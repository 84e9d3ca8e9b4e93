package dev.onhand.channelsync.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A generic webhook channel's receiver on this machine: one path per channel ({@code
 * /hooks/<channel>}), every request recorded, and answers a test scripts (e.g. 429 with
 * Retry-After, then 500, then 200). Unscripted requests are answered {@code 200}, or the channel's
 * standing answer.
 */
public final class WebhookReceiver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static WebhookReceiver instance;

  private final HttpServer server;
  private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
  private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Answer> standing = new ConcurrentHashMap<>();
  private final Map<String, Duration> slowness = new ConcurrentHashMap<>();

  /** What the receiver answers: a status and an optional Retry-After. */
  public record Answer(int status, String retryAfter) {
    public static Answer of(int status) {
      return new Answer(status, null);
    }
  }

  /** One request as it arrived, with the answer it got. */
  public record Received(
      String channel,
      byte[] raw,
      JsonNode body,
      String signature,
      String idempotencyKey,
      int answered,
      Instant at) {
    public long quantity() {
      return body.path("quantity").asLong();
    }

    public long version() {
      return body.path("version").asLong();
    }
  }

  private WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "webhook-receiver");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/hooks/", this::handle);
    server.start();
  }

  public static synchronized WebhookReceiver get() {
    if (instance == null) {
      try {
        instance = new WebhookReceiver();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return instance;
  }

  public String url(String channel) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + channel;
  }

  /** The next answers for the channel, in order. */
  public void script(String channel, Answer... answers) {
    Deque<Answer> script = scripts.computeIfAbsent(channel, c -> new ArrayDeque<>());
    synchronized (script) {
      script.addAll(List.of(answers));
    }
  }

  /** The answer once the script is used up (200 unless set). */
  public void answerAlways(String channel, Answer answer) {
    standing.put(channel, answer);
  }

  /** A slow channel: each request is recorded on arrival and answered {@code delay} later. */
  public void answerAfter(String channel, Duration delay) {
    slowness.put(channel, delay);
  }

  public List<Received> received(String channel) {
    return new ArrayList<>(received.getOrDefault(channel, List.of()));
  }

  /** Requests the channel answered 2xx. */
  public List<Received> applied(String channel) {
    return received(channel).stream().filter(r -> r.answered() / 100 == 2).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String channel = exchange.getRequestURI().getPath().substring("/hooks/".length());
    byte[] raw = exchange.getRequestBody().readAllBytes();
    Answer answer = next(channel);
    JsonNode body;
    try {
      body = JSON.readTree(raw);
    } catch (IOException e) {
      body = JSON.createObjectNode();
    }
    received
        .computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>())
        .add(
            new Received(
                channel,
                raw,
                body,
                exchange.getRequestHeaders().getFirst("X-Onhand-Signature"),
                exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                answer.status(),
                Instant.now()));
    Duration delay = slowness.get(channel);
    if (delay != null) {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (answer.retryAfter() != null) {
      exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
    }
    byte[] reply = ("{\"answered\":" + answer.status() + "}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), reply.length);
    exchange.getResponseBody().write(reply);
    exchange.close();
  }

  private Answer next(String channel) {
    Deque<Answer> script = scripts.get(channel);
    if (script != null) {
      synchronized (script) {
        Answer answer = script.poll();
        if (answer != null) {
          return answer;
        }
      }
    }
    return standing.getOrDefault(channel, Answer.of(200));
  }
}
