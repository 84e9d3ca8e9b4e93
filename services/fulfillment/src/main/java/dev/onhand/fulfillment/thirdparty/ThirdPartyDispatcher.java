package dev.onhand.fulfillment.thirdparty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onhand.fulfillment.order.Order;
import dev.onhand.fulfillment.order.OrderRepository;
import dev.onhand.platform.signature.Signatures;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends orders allocated to a THIRD_PARTY location to that 3PL: a signed JSON POST per reserved
 * allocation, retried with backoff until the 3PL answers 2xx ({@code Idempotency-Key} is the
 * allocation id, so a resend after a crash is harmless). A dispatch is queued in the transaction
 * that confirmed the reservation, so none is lost; several replicas never send the same one at once
 * (rows are claimed with SKIP LOCKED and a lease). The 3PL confirms shipments through {@code POST
 * /api/v1/orders/{id}/shipments}.
 */
@ApplicationScoped
public class ThirdPartyDispatcher {
  private static final Logger LOG = Logger.getLogger(ThirdPartyDispatcher.class);
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final Pool pool;
  private final OrderRepository orders;
  private final ThirdParties config;
  private final ObjectMapper mapper;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private final int maxAttempts;

  public ThirdPartyDispatcher(
      Pool pool,
      OrderRepository orders,
      ThirdParties config,
      ObjectMapper mapper,
      @ConfigProperty(name = "onhand.fulfillment.dispatch-attempts", defaultValue = "10")
          int maxAttempts) {
    this.pool = pool;
    this.orders = orders;
    this.config = config;
    this.mapper = mapper;
    this.maxAttempts = maxAttempts;
  }

  /** Queues the allocation for its 3PL, in the caller's transaction. */
  public Uni<Void> enqueue(SqlClient sql, UUID allocationId, String location) {
    return sql.preparedQuery(
            "INSERT INTO third_party_dispatch (allocation_id, location, status) VALUES ($1, $2,"
                + " 'PENDING') ON CONFLICT DO NOTHING")
        .execute(Tuple.of(allocationId, location))
        .replaceWithVoid();
  }

  private record Due(UUID allocationId, UUID orderId, String location, int attempts) {}

  @Scheduled(
      every = "${onhand.fulfillment.dispatch-interval:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> dispatchDue() {
    return claim()
        .chain(
            due -> {
              List<Uni<Void>> sends = new ArrayList<>();
              due.forEach(d -> sends.add(send(d)));
              return sends.isEmpty()
                  ? Uni.createFrom().voidItem()
                  : Uni.join().all(sends).andCollectFailures().replaceWithVoid();
            })
        .onFailure()
        .invoke(e -> LOG.warnf("3PL dispatch round failed, will retry: %s", e.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /** Takes due dispatches for a lease, so no other replica sends them meanwhile. */
  private Uni<List<Due>> claim() {
    return pool.withTransaction(
        sql ->
            sql.preparedQuery(
                    "UPDATE third_party_dispatch d SET next_attempt_at = now() + make_interval(secs"
                        + " => $1) FROM allocation a WHERE a.id = d.allocation_id AND"
                        + " d.allocation_id IN (SELECT allocation_id FROM third_party_dispatch"
                        + " WHERE status = 'PENDING' AND next_attempt_at <= now() ORDER BY"
                        + " next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED)"
                        + " RETURNING d.allocation_id, a.order_id, d.location, d.attempts")
                .execute(Tuple.of((double) LEASE.toSeconds()))
                .map(
                    rows -> {
                      List<Due> due = new ArrayList<>();
                      rows.forEach(
                          (Row row) ->
                              due.add(
                                  new Due(
                                      row.getUUID("allocation_id"),
                                      row.getUUID("order_id"),
                                      row.getString("location"),
                                      row.getInteger("attempts"))));
                      return due;
                    }));
  }

  private Uni<Void> send(Due due) {
    ThirdParties.ThirdParty party = config.byLocation().get(due.location());
    if (party == null) {
      return failed(due, "no 3PL configured for location " + due.location(), false);
    }
    return orders
        .find(pool, due.orderId())
        .chain(
            order -> {
              byte[] body = body(order, due);
              HttpRequest request =
                  HttpRequest.newBuilder(URI.create(party.url()))
                      .timeout(party.timeout())
                      .header("Content-Type", "application/json")
                      .header("Idempotency-Key", due.allocationId().toString())
                      .header(Signatures.HEADER, Signatures.header(party.secret(), body))
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                      .build();
              return Uni.createFrom()
                  .completionStage(
                      () -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                  .chain(
                      response ->
                          response.statusCode() / 100 == 2
                              ? sent(due)
                              : failed(due, "3PL answered " + response.statusCode(), true))
                  .onFailure()
                  .recoverWithUni(e -> failed(due, e.toString(), true));
            });
  }

  private byte[] body(Order order, Due due) {
    ObjectNode body = mapper.createObjectNode();
    body.put("orderId", order.id().toString());
    body.put("allocationId", due.allocationId().toString());
    body.put("channel", order.channel());
    body.put("channelOrderId", order.channelOrderId());
    body.put("location", due.location());
    body.set("shipTo", order.shipTo());
    var lines = body.putArray("lines");
    order.allocations().stream()
        .filter(a -> a.id().equals(due.allocationId()))
        .flatMap(a -> a.lines().stream())
        .forEach(l -> lines.addObject().put("sku", l.sku()).put("quantity", l.open()));
    body.put("confirmShipmentsTo", "/api/v1/orders/" + order.id() + "/shipments");
    try {
      return mapper.writeValueAsBytes(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Uni<Void> sent(Due due) {
    return pool.preparedQuery(
            "UPDATE third_party_dispatch SET status = 'SENT', attempts = attempts + 1, sent_at ="
                + " now(), last_error = NULL WHERE allocation_id = $1")
        .execute(Tuple.of(due.allocationId()))
        .replaceWithVoid();
  }

  /** Counts a failed attempt: retried after 2^attempts seconds (at most 5 minutes), then FAILED. */
  private Uni<Void> failed(Due due, String error, boolean retry) {
    int attempts = due.attempts() + 1;
    boolean giveUp = !retry || attempts >= maxAttempts;
    long backoff = Math.min(300, 1L << Math.min(attempts - 1, 8));
    LOG.warnf(
        "3PL dispatch of allocation %s to %s failed (attempt %d)%s: %s",
        due.allocationId(), due.location(), attempts, giveUp ? ", giving up" : "", error);
    return pool.preparedQuery(
            "UPDATE third_party_dispatch SET attempts = $2, last_error = $3, status = $4,"
                + " next_attempt_at = now() + make_interval(secs => $5) WHERE allocation_id = $1")
        .execute(
            Tuple.of(
                due.allocationId(),
                attempts,
                error.length() > 500 ? error.substring(0, 500) : error,
                giveUp ? "FAILED" : "PENDING",
                (double) backoff))
        .replaceWithVoid();
  }
}
