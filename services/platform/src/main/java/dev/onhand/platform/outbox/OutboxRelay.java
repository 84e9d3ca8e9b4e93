package dev.onhand.platform.outbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.platform.messaging.Envelope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to the service's exchange and marks them once the broker has
 * confirmed them. One relay publishes at a time per database (a transaction-scoped advisory lock),
 * in id order, so messages of one aggregate leave in the order their transactions committed. A
 * failed publish leaves its row pending with the error; it is retried with backoff.
 */
@ApplicationScoped
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final String LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('onhand.outbox'))";
  private static final String PENDING =
      "SELECT id, message_id, type, routing_key, headers, payload, created_at FROM outbox"
          + " WHERE published_at IS NULL ORDER BY id LIMIT $1";
  private static final String MARK_PUBLISHED =
      "UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL"
          + " WHERE id = ANY($1)";
  private static final String MARK_FAILED =
      "UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)";

  private final Pool pool;
  private final MutinyEmitter<String> emitter;
  private final ObjectMapper mapper;
  private final boolean enabled;
  private final int batchSize;
  private final Duration pollInterval;
  private final Duration retention;
  private final Semaphore wakeUps = new Semaphore(0);
  private final AtomicLong backlog = new AtomicLong();
  private final Counter published;
  private final Counter failures;
  private final io.micrometer.core.instrument.Timer delay;
  private volatile boolean running;
  private volatile boolean paused;
  private volatile int consecutiveFailures;
  private Thread worker;

  public OutboxRelay(
      Pool pool,
      @Channel("outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
          MutinyEmitter<String> emitter,
      ObjectMapper mapper,
      MeterRegistry registry,
      @ConfigProperty(name = "onhand.outbox.enabled", defaultValue = "true") boolean enabled,
      @ConfigProperty(name = "onhand.outbox.batch-size", defaultValue = "256") int batchSize,
      @ConfigProperty(name = "onhand.outbox.poll-interval", defaultValue = "PT0.5S")
          Duration pollInterval,
      @ConfigProperty(name = "onhand.outbox.retention", defaultValue = "PT1H") Duration retention) {
    this.pool = pool;
    this.emitter = emitter;
    this.mapper = mapper;
    this.enabled = enabled;
    this.batchSize = batchSize;
    this.pollInterval = pollInterval;
    this.retention = retention;
    registry.gauge("onhand.outbox.backlog", backlog);
    this.published = registry.counter("onhand.outbox.published");
    this.failures = registry.counter("onhand.outbox.publish.failures");
    this.delay =
        io.micrometer.core.instrument.Timer.builder("onhand.outbox.delay")
            .description("Time from the outbox row's commit to the broker's confirm")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  void start(@Observes StartupEvent event) {
    if (!enabled) {
      LOG.info("Outbox relay disabled");
      return;
    }
    running = true;
    worker = new Thread(this::loop, "outbox-relay");
    worker.setDaemon(true);
    worker.start();
  }

  /** On SIGTERM: publish what is pending (bounded), then stop. */
  void stop(@Observes ShutdownEvent event) {
    if (worker == null) {
      return;
    }
    running = false;
    wakeUp();
    try {
      worker.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Asks the relay to look at the outbox now (called after a transaction wrote to it). */
  public void wakeUp() {
    if (wakeUps.availablePermits() == 0) {
      wakeUps.release();
    }
  }

  /** Stops publishing without losing anything: rows stay pending until {@link #resume()}. */
  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
    wakeUp();
  }

  public boolean isPaused() {
    return paused;
  }

  private void loop() {
    while (running) {
      try {
        wakeUps.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      wakeUps.drainPermits();
      if (!paused) {
        publishAll();
      }
    }
    // stopping (SIGTERM): publish what is still pending, bounded by the shutdown's join timeout
    if (!paused && consecutiveFailures == 0) {
      publishAll();
    }
  }

  /** Publishes batches until the outbox is empty, another relay has it, or a publish fails. */
  private void publishAll() {
    int lockBusy = 0;
    try {
      while (!paused) {
        int count = cycle();
        if (count < 0) {
          // another instance is publishing; our rows may be past its batch, so look again soon
          if (++lockBusy > 100) {
            return;
          }
          Thread.sleep(5);
          continue;
        }
        consecutiveFailures = 0;
        if (count < batchSize) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failures.increment();
      consecutiveFailures++;
      long backoff = Math.min(5_000, 50L << Math.min(consecutiveFailures, 7));
      LOG.warnf(
          "Outbox publish failed (%d in a row), retrying in %d ms: %s",
          consecutiveFailures, backoff, e.getMessage());
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      wakeUp();
    }
  }

  /**
   * Publishes one batch in one transaction. Returns the number of rows published, or -1 when
   * another relay holds the lock. Throws, after the marks committed, when a publish failed.
   */
  int cycle() {
    BatchResult result =
        pool.withTransaction(this::publishBatch).await().atMost(Duration.ofSeconds(60));
    if (result.failure() != null) {
      throw new OutboxPublishException(result.failed(), result.failure());
    }
    return result.published();
  }

  private record BatchResult(int published, int failed, Throwable failure) {}

  private Uni<BatchResult> publishBatch(SqlConnection connection) {
    return connection
        .query(LOCK)
        .execute()
        .onItem()
        .transformToUni(
            lock -> {
              if (!lock.iterator().next().getBoolean(0)) {
                return Uni.createFrom().item(new BatchResult(-1, 0, null));
              }
              return connection
                  .preparedQuery(PENDING)
                  .execute(Tuple.of(batchSize))
                  .onItem()
                  .transformToUni(rows -> send(connection, rows));
            });
  }

  private Uni<BatchResult> send(SqlConnection connection, Iterable<Row> rows) {
    List<Long> ids = new ArrayList<>();
    List<Uni<Throwable>> sends = new ArrayList<>();
    List<ZonedDateTime> createdAt = new ArrayList<>();
    for (Row row : rows) {
      ids.add(row.getLong("id"));
      createdAt.add(row.getOffsetDateTime("created_at").atZoneSameInstant(ZoneOffset.UTC));
      sends.add(
          emitter
              .sendMessage(toMessage(row))
              .ifNoItem()
              .after(Duration.ofSeconds(30))
              .fail()
              .onItem()
              .transform(ignored -> (Throwable) null)
              .onFailure()
              .recoverWithItem(failure -> failure));
    }
    if (ids.isEmpty()) {
      return Uni.createFrom().item(new BatchResult(0, 0, null));
    }
    // sent in order on one channel; confirms may return in any order
    return Uni.join()
        .all(sends)
        .andFailFast()
        .onItem()
        .transformToUni(
            outcomes -> {
              List<Long> done = new ArrayList<>();
              List<Long> failed = new ArrayList<>();
              Throwable firstFailure = null;
              ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
              for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i) == null) {
                  done.add(ids.get(i));
                  delay.record(Duration.between(createdAt.get(i), now));
                } else {
                  failed.add(ids.get(i));
                  firstFailure = firstFailure == null ? outcomes.get(i) : firstFailure;
                }
              }
              published.increment(done.size());
              Throwable failure = firstFailure;
              // the marks commit even when some sends failed; the failed rows stay pending
              return mark(connection, MARK_PUBLISHED, done, null)
                  .call(() -> mark(connection, MARK_FAILED, failed, String.valueOf(failure)))
                  .replaceWith(new BatchResult(done.size(), failed.size(), failure));
            });
  }

  private Uni<Void> mark(SqlConnection connection, String sql, List<Long> ids, String error) {
    if (ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Long[] array = ids.toArray(Long[]::new);
    Tuple args = error == null ? Tuple.of(array) : Tuple.of(array, error);
    return connection.preparedQuery(sql).execute(args).replaceWithVoid();
  }

  private Message<String> toMessage(Row row) {
    Map<String, Object> headers = new HashMap<>();
    try {
      Map<String, String> trace =
          mapper.readValue(row.getString("headers"), new TypeReference<Map<String, String>>() {});
      headers.putAll(trace);
    } catch (Exception e) {
      LOG.debugf("Outbox row %d has unreadable headers: %s", row.getLong("id"), e.getMessage());
    }
    OutgoingRabbitMQMetadata metadata =
        new OutgoingRabbitMQMetadata.Builder()
            .withRoutingKey(row.getString("routing_key"))
            .withMessageId(row.getUUID("message_id").toString())
            .withType(row.getString("type"))
            .withContentType(Envelope.CONTENT_TYPE)
            .withDeliveryMode(2)
            .withTimestamp(row.getOffsetDateTime("created_at").toZonedDateTime())
            .withHeaders(headers)
            .build();
    return Message.of(row.getString("payload"), Metadata.of(metadata));
  }

  /** Keeps the backlog gauge current and removes published rows past their retention. */
  @Scheduled(
      every = "${onhand.outbox.housekeeping-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> housekeeping() {
    return pool.preparedQuery(
            "DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) retention.toSeconds()))
        .chain(() -> pool.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").execute())
        .invoke(rows -> backlog.set(rows.iterator().next().getLong(0)))
        .replaceWithVoid()
        .onFailure()
        .recoverWithNull();
  }

  /** Rows not yet confirmed by the broker. */
  public long pendingCount() {
    return pool.query("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        .execute()
        .map(rows -> rows.iterator().next().getLong(0))
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  /** Raised when some messages of a batch were not confirmed; they stay pending. */
  public static class OutboxPublishException extends RuntimeException {
    OutboxPublishException(int count, Throwable cause) {
      super(count + " message(s) not confirmed by the broker: " + cause, cause);
    }
  }
}
