package dev.onhand.platform.outbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to the service's exchange and marks them once the broker has
 * confirmed them. One relay publishes at a time per database (a transaction-scoped advisory lock),
 * in id order, so messages of one aggregate leave in the order their transactions committed. A
 * failed publish leaves its row pending with the error; it is retried with backoff.
 *
 * <p>The relay publishes on a database connection of its own, not one of the service's pool: under
 * load the pool's connections are taken by requests waiting for row locks, and a relay queued
 * behind them held every committed message back (fulfillment's relay ran once every 0.8 s in P3).
 */
@ApplicationScoped
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final String LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('onhand.outbox'))";
  private static final String PENDING =
      "SELECT id, message_id, type, routing_key, headers, payload, created_at FROM outbox"
          + " ORDER BY id LIMIT $1";
  private static final String DELETE_CONFIRMED = "DELETE FROM outbox WHERE id = ANY($1)";
  // Losing this transaction's commit in a crash only means publishing its rows again, which
  // consumers absorb by message id: it need not wait for the disk.
  private static final String NO_FLUSH = "SET LOCAL synchronous_commit = off";
  private static final String MARK_FAILED =
      "UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)";

  private final Pool pool;
  private final Vertx vertx;
  private final PgConnectOptions connectOptions;
  private Pool relayPool;
  private final ConfirmedPublisher publisher;
  private final ObjectMapper mapper;
  private final boolean enabled;
  private final int batchSize;
  private final Duration pollInterval;
  private final Duration linger;
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
      Vertx vertx,
      @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
      ConfirmedPublisher publisher,
      ObjectMapper mapper,
      MeterRegistry registry,
      @ConfigProperty(name = "onhand.outbox.enabled", defaultValue = "true") boolean enabled,
      @ConfigProperty(name = "onhand.outbox.batch-size", defaultValue = "256") int batchSize,
      @ConfigProperty(name = "onhand.outbox.poll-interval", defaultValue = "PT0.5S")
          Duration pollInterval,
      @ConfigProperty(name = "onhand.outbox.linger", defaultValue = "PT0.005S") Duration linger) {
    this.pool = pool;
    this.vertx = vertx;
    // the datasource's own address and credentials (its URL names the reactive client first)
    this.connectOptions =
        PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""))
            .setUser(user)
            .setPassword(password.orElse(""));
    this.publisher = publisher;
    this.mapper = mapper;
    this.enabled = enabled;
    this.batchSize = batchSize;
    this.pollInterval = pollInterval;
    this.linger = linger;
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
    publisher.connect(); // declares the exchange now, or the loop retries
    // one connection, reopened by the pool when it breaks (e.g. PostgreSQL restarted)
    relayPool =
        Pool.newInstance(
            PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(1).setName("onhand-outbox-relay"))
                .connectingTo(connectOptions)
                .using(vertx.getDelegate())
                .build());
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
    publisher.close();
    relayPool.close().await().atMost(Duration.ofSeconds(5));
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

  private void loop() {
    while (running) {
      try {
        wakeUps.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!linger.isZero()) {
        // let the commits of concurrent transactions gather into one batch: one relay transaction
        // and one confirm round trip for many rows instead of one each
        try {
          Thread.sleep(linger.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      wakeUps.drainPermits();
      if (!publisher.connected()) {
        publisher.connect(); // keeps readiness honest even while there is nothing to publish
      }
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
    SqlConnection connection = relayPool.getConnection().await().atMost(Duration.ofSeconds(10));
    try {
      var tx = connection.begin().await().atMost(Duration.ofSeconds(10));
      try {
        int result = publishBatch(connection);
        tx.commit().await().atMost(Duration.ofSeconds(10));
        return result;
      } catch (RuntimeException e) {
        tx.rollback().await().atMost(Duration.ofSeconds(10));
        throw e;
      }
    } finally {
      connection.close().await().atMost(Duration.ofSeconds(10));
    }
  }

  /** Under the relay lock: read a batch, publish it with confirms, mark it; all or none marked. */
  private int publishBatch(SqlConnection connection) {
    connection.query(NO_FLUSH).execute().await().atMost(Duration.ofSeconds(10));
    boolean locked =
        connection
            .query(LOCK)
            .execute()
            .await()
            .atMost(Duration.ofSeconds(10))
            .iterator()
            .next()
            .getBoolean(0);
    if (!locked) {
      return -1;
    }
    List<Long> ids = new ArrayList<>();
    List<ConfirmedPublisher.Outgoing> messages = new ArrayList<>();
    List<OffsetDateTime> createdAt = new ArrayList<>();
    for (Row row :
        connection
            .preparedQuery(PENDING)
            .execute(Tuple.of(batchSize))
            .await()
            .atMost(Duration.ofSeconds(10))) {
      ids.add(row.getLong("id"));
      createdAt.add(row.getOffsetDateTime("created_at"));
      messages.add(toMessage(row));
    }
    if (ids.isEmpty()) {
      return 0;
    }
    Long[] array = ids.toArray(Long[]::new);
    try {
      publisher.publish(messages);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // unconfirmed: the rows stay pending (a retry may send some twice; consumers dedupe by id)
      connection
          .preparedQuery(MARK_FAILED)
          .execute(Tuple.of(array, e.toString()))
          .await()
          .atMost(Duration.ofSeconds(10));
      throw new OutboxPublishException(ids.size(), e);
    }
    connection
        .preparedQuery(DELETE_CONFIRMED)
        .execute(Tuple.of(array))
        .await()
        .atMost(Duration.ofSeconds(10));
    published.increment(ids.size());
    OffsetDateTime now = OffsetDateTime.now();
    createdAt.forEach(created -> delay.record(Duration.between(created, now)));
    return ids.size();
  }

  private ConfirmedPublisher.Outgoing toMessage(Row row) {
    Map<String, Object> headers = new HashMap<>();
    try {
      headers.putAll(
          mapper.readValue(row.getString("headers"), new TypeReference<Map<String, String>>() {}));
    } catch (Exception e) {
      LOG.debugf("Outbox row %d has unreadable headers: %s", row.getLong("id"), e.getMessage());
    }
    return new ConfirmedPublisher.Outgoing(
        row.getUUID("message_id").toString(),
        row.getString("type"),
        row.getString("routing_key"),
        headers,
        Date.from(row.getOffsetDateTime("created_at").toInstant()),
        ConfirmedPublisher.utf8(row.getString("payload")));
  }

  /** Rows not yet published at the last housekeeping (the backlog gauge). */
  public long backlog() {
    return backlog.get();
  }

  /** Whether the relay can reach the broker now (for readiness); true when it is disabled. */
  public boolean connected() {
    return !enabled || publisher.connected();
  }

  /** Keeps the backlog gauge current. */
  @Scheduled(
      every = "${onhand.outbox.housekeeping-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> measureBacklog() {
    return pool.query("SELECT count(*) FROM outbox")
        .execute()
        .invoke(rows -> backlog.set(rows.iterator().next().getLong(0)))
        .replaceWithVoid()
        .onFailure()
        .recoverWithNull();
  }

  /** Raised when some messages of a batch were not confirmed; they stay pending. */
  public static class OutboxPublishException extends RuntimeException {
    OutboxPublishException(int count, Throwable cause) {
      super(count + " message(s) not confirmed by the broker: " + cause, cause);
    }
  }
}
