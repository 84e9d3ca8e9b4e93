package dev.onhand.channelsync.push;

import dev.onhand.channelsync.adapter.ChannelAdapter;
import dev.onhand.channelsync.adapter.ChannelTarget;
import dev.onhand.channelsync.adapter.PushResult;
import dev.onhand.channelsync.adapter.QuantityPush;
import dev.onhand.channelsync.channel.Channel;
import dev.onhand.channelsync.channel.ChannelRepository;
import dev.onhand.channelsync.channel.CredentialReferences;
import dev.onhand.platform.tx.Transactions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Pushes sellable quantities to channels, once for every channel type. Every {@code interval} it
 * claims the (channel, SKU) rows whose newest version the channel has not applied (SKIP LOCKED and
 * a lease, so replicas never push one row at once), batches them per channel, hands each batch to
 * the channel type's {@link ChannelAdapter} and records every answer:
 *
 * <ul>
 *   <li>APPLIED: the version is the channel's; a version never goes back (checked at claim and at
 *       record time).
 *   <li>RETRY: tried again after exponential backoff with jitter, no sooner than the channel's
 *       Retry-After; after {@code max-attempts} the SKU is dead-lettered. A RETRY that carries a
 *       wait (throttling: a 429, or the adapter's own limiter) waits as asked and counts no
 *       attempt, so a slow channel is never dead-lettered for being slow.
 *   <li>COMPARE_FAILED: the channel's quantity is read back and the push retried at once.
 *   <li>REJECTED: dead-lettered at once (a bad listing id or credentials will not heal alone).
 * </ul>
 *
 * Bursts coalesce by construction: a row holds only the newest quantity, so however many changes
 * came while a push waited or was in flight, one push carries the last.
 */
@ApplicationScoped
public class PushWorker {
  private static final Logger LOG = Logger.getLogger(PushWorker.class);

  private final Pool pool;
  private final Transactions transactions;
  private final PushRepository pushes;
  private final ChannelRepository channels;
  private final ChannelAdapters adapters;
  private final CredentialReferences credentials;
  private final MeterRegistry registry;
  private final Vertx vertx;
  private final boolean enabled;
  private final Duration interval;
  private final int claimLimit;
  private final int batchSize;
  private final int maxAttempts;
  private final Backoff backoff;
  private final Duration lease;
  private final Duration callTimeout;
  private final Duration coalesce;
  private final Duration retention;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  // channels this worker is pushing to now: their rows wait for the next claim after
  private final Set<String> pushing = ConcurrentHashMap.newKeySet();
  private final Duration wakeGap;
  // the worker's own Vert.x context: its timers and rounds run there, one at a time, and outside
  // any caller's trace (a round woken from a consumer's context would join that message's trace)
  private volatile Context loop;
  // on the loop's context only: the next round's timer (-1 while a round claims), whether a change
  // woke the worker meanwhile
  private long timer = -1;
  private long timerDue;
  private long lastRound = System.nanoTime();
  private boolean woken;
  private volatile boolean stopped;

  public PushWorker(
      Pool pool,
      Transactions transactions,
      PushRepository pushes,
      ChannelRepository channels,
      ChannelAdapters adapters,
      CredentialReferences credentials,
      MeterRegistry registry,
      Vertx vertx,
      @ConfigProperty(name = "onhand.channel-sync.push.enabled", defaultValue = "true")
          boolean enabled,
      @ConfigProperty(name = "onhand.channel-sync.push.interval", defaultValue = "PT0.1S")
          Duration interval,
      @ConfigProperty(name = "onhand.channel-sync.push.claim-limit", defaultValue = "200")
          int claimLimit,
      @ConfigProperty(name = "onhand.channel-sync.push.batch-size", defaultValue = "50")
          int batchSize,
      @ConfigProperty(name = "onhand.channel-sync.push.max-attempts", defaultValue = "8")
          int maxAttempts,
      @ConfigProperty(name = "onhand.channel-sync.push.first-backoff", defaultValue = "PT1S")
          Duration firstBackoff,
      @ConfigProperty(name = "onhand.channel-sync.push.max-backoff", defaultValue = "PT5M")
          Duration maxBackoff,
      @ConfigProperty(name = "onhand.channel-sync.push.lease", defaultValue = "PT2M")
          Duration lease,
      @ConfigProperty(name = "onhand.channel-sync.push.call-timeout", defaultValue = "PT30S")
          Duration callTimeout,
      @ConfigProperty(name = "onhand.channel-sync.push.coalesce", defaultValue = "PT0.2S")
          Duration coalesce,
      @ConfigProperty(name = "onhand.channel-sync.push.record-retention", defaultValue = "P7D")
          Duration retention,
      @ConfigProperty(name = "onhand.channel-sync.push.wake-gap", defaultValue = "PT0.02S")
          Duration wakeGap) {
    this.pool = pool;
    this.transactions = transactions;
    this.pushes = pushes;
    this.channels = channels;
    this.adapters = adapters;
    this.credentials = credentials;
    this.registry = registry;
    this.vertx = vertx;
    this.enabled = enabled;
    this.interval = interval;
    this.claimLimit = claimLimit;
    this.batchSize = batchSize;
    this.maxAttempts = maxAttempts;
    this.backoff = new Backoff(firstBackoff, maxBackoff);
    this.lease = lease;
    this.callTimeout = callTimeout;
    this.coalesce = coalesce;
    this.retention = retention;
    this.wakeGap = wakeGap;
    registry.gauge("onhand.channel_sync.pending", pending);
    registry.gauge("onhand.channel_sync.dead_lettered", deadLettered);
  }

  void start(@Observes StartupEvent event) {
    if (enabled) {
      loop = vertx.getOrCreateContext();
      loop.runOnContext(ignored -> next(interval));
    }
  }

  void stop(@Observes ShutdownEvent event) {
    stopped = true;
  }

  /**
   * A change to push was committed: the next round comes as soon as {@code wake-gap} after the last
   * one allows, instead of at the next {@code interval} (which only finds what no wake-up
   * announced: retries coming due, another replica's changes).
   */
  public void wakeUp() {
    Context context = loop;
    if (context != null && !stopped) {
      context.runOnContext(ignored -> wakeNow());
    }
  }

  private void wakeNow() {
    if (timer < 0) {
      woken = true; // a round is claiming now: the one after it comes sooner
      return;
    }
    long at = Math.max(System.nanoTime(), lastRound + wakeGap.toNanos());
    if (at < timerDue && vertx.cancelTimer(timer)) {
      schedule(at);
    }
  }

  /**
   * The next round after {@code delay} (sooner if woken meanwhile); a full claim goes on at once.
   */
  private void next(Duration delay) {
    if (stopped) {
      return;
    }
    long at = System.nanoTime() + delay.toNanos();
    if (woken) {
      woken = false;
      at = Math.min(at, Math.max(System.nanoTime(), lastRound + wakeGap.toNanos()));
    }
    schedule(at);
  }

  private void schedule(long at) {
    timerDue = at;
    timer =
        vertx.setTimer(
            Math.max(1, TimeUnit.NANOSECONDS.toMillis(at - System.nanoTime())),
            id -> {
              timer = -1;
              lastRound = System.nanoTime();
              round()
                  .subscribe()
                  .with(
                      claimed ->
                          loop.runOnContext(
                              ignored -> next(claimed >= claimLimit ? Duration.ZERO : interval)),
                      failure -> {
                        LOG.warnf("push round failed, will retry: %s", failure.toString());
                        loop.runOnContext(ignored -> next(interval));
                      });
            });
  }

  /**
   * One round: claims the due rows of every channel this worker is not pushing to now, and starts
   * each channel's pushes on their own; the number claimed. The round does not wait for them: a
   * throttled or slow channel (an Amazon-like 5 requests/s, pushed SKU by SKU) held every other
   * channel's next round back while one round waited for all.
   */
  Uni<Integer> round() {
    if (adapters.types().isEmpty()) {
      return Uni.createFrom().item(0);
    }
    return pushes
        .claim(adapters.types(), Set.copyOf(pushing), claimLimit, lease)
        .invoke(
            claimed -> {
              Map<String, List<PushRepository.Claimed>> byChannel = new LinkedHashMap<>();
              claimed.forEach(
                  c -> byChannel.computeIfAbsent(c.channel(), k -> new ArrayList<>()).add(c));
              byChannel.forEach(
                  (code, rows) -> {
                    // one push at a time per channel and replica, as the channel's limits expect,
                    // and the next no sooner than the channel's pace after this one's start
                    pushing.add(code);
                    long started = System.nanoTime();
                    pushChannel(code, rows)
                        .subscribe()
                        .with(
                            pace -> release(code, started + pace.toNanos()),
                            failure -> pushing.remove(code)); // pushChannel logs and recovers
                  });
            })
        .map(List::size);
  }

  /** The channel's rows may be claimed again from {@code at} (a {@link System#nanoTime()}). */
  private void release(String code, long at) {
    long left = TimeUnit.NANOSECONDS.toMillis(at - System.nanoTime());
    if (left < 1) {
      pushing.remove(code);
    } else {
      vertx.setTimer(left, id -> pushing.remove(code));
    }
  }

  /** Pushes the channel's claimed rows, batch after batch; then the channel's pace. */
  private Uni<Duration> pushChannel(String code, List<PushRepository.Claimed> rows) {
    return channels
        .find(pool, code)
        .chain(
            channel -> {
              ChannelAdapter adapter = adapters.of(channel.type());
              ChannelTarget target;
              try {
                target = target(channel);
              } catch (CredentialReferences.Unavailable e) {
                // a Secret not mounted yet may be tomorrow: retried, then dead-lettered
                LOG.warnf("channel %s: %s", code, e.getMessage());
                return record(code, rows, failAll(rows, e.getMessage()), Map.of())
                    .replaceWith(Duration.ZERO);
              }
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (int from = 0; from < rows.size(); from += batchSize) {
                List<PushRepository.Claimed> batch =
                    rows.subList(from, Math.min(rows.size(), from + batchSize));
                chain = chain.chain(() -> pushBatch(adapter, target, batch));
              }
              // read after the answers, which tell the adapter the channel's limits
              return chain.map(ignored -> adapter.pace(target));
            })
        .onFailure()
        .invoke(e -> LOG.warnf("pushes to channel %s failed, will retry: %s", code, e.toString()))
        .onFailure()
        .recoverWithItem(Duration.ZERO);
  }

  private ChannelTarget target(Channel channel) {
    return new ChannelTarget(
        channel.code(),
        channel.type(),
        URI.create(channel.endpoint()),
        credentials.resolve(channel.code(), channel.credentials()),
        channel.settings());
  }

  private Uni<Void> pushBatch(
      ChannelAdapter adapter, ChannelTarget target, List<PushRepository.Claimed> batch) {
    List<QuantityPush> sent = new ArrayList<>();
    for (PushRepository.Claimed c : batch) {
      sent.add(
          new QuantityPush(
              c.sku(),
              c.listingId(),
              c.quantity(),
              c.version(),
              c.sentQuantity(),
              // the same for every retry of this version
              "onhand:" + c.channel() + ":" + c.sku() + ":" + c.version()));
    }
    Uni<List<PushResult>> call;
    try {
      call = adapter.push(target, sent);
    } catch (RuntimeException e) {
      call = Uni.createFrom().failure(e);
    }
    return call.ifNoItem()
        .after(callTimeout)
        .fail()
        .onFailure()
        .recoverWithItem(e -> failAll(batch, "adapter failed: " + e))
        .chain(
            results -> {
              Map<String, PushResult> bySku = new HashMap<>();
              results.forEach(r -> bySku.put(r.sku(), r));
              List<PushResult> answers = new ArrayList<>();
              for (PushRepository.Claimed c : batch) {
                PushResult r = bySku.get(c.sku());
                answers.add(
                    r != null
                        ? r
                        : new PushResult(
                            c.sku(),
                            PushResult.Outcome.RETRY,
                            null,
                            0,
                            "the adapter gave no answer for this SKU"));
              }
              return readBack(adapter, target, batch, answers)
                  .chain(holds -> record(target.code(), batch, answers, holds));
            });
  }

  /** What the channel holds of listings whose compare-and-set failed, by listing id. */
  private Uni<Map<String, Long>> readBack(
      ChannelAdapter adapter,
      ChannelTarget target,
      List<PushRepository.Claimed> batch,
      List<PushResult> answers) {
    List<String> listingIds = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      if (answers.get(i).outcome() == PushResult.Outcome.COMPARE_FAILED) {
        listingIds.add(batch.get(i).listingId());
      }
    }
    if (listingIds.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    Uni<Map<String, Long>> read;
    try {
      read = adapter.read(target, listingIds);
    } catch (RuntimeException e) {
      read = Uni.createFrom().failure(e);
    }
    return read.ifNoItem()
        .after(callTimeout)
        .fail()
        .onFailure()
        .invoke(e -> LOG.warnf("channel %s: read-back failed: %s", target.code(), e.toString()))
        .onFailure()
        .recoverWithItem(Map.of());
  }

  private static List<PushResult> failAll(List<PushRepository.Claimed> rows, String why) {
    return rows.stream()
        .map(c -> new PushResult(c.sku(), PushResult.Outcome.RETRY, null, 0, why))
        .toList();
  }

  private Uni<Void> record(
      String code,
      List<PushRepository.Claimed> batch,
      List<PushResult> answers,
      Map<String, Long> holds) {
    OffsetDateTime now = OffsetDateTime.now();
    List<PushRepository.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      PushRepository.Claimed c = batch.get(i);
      PushResult r = answers.get(i);
      int attempt = c.attempts() + 1;
      Long latency = null;
      Duration retryIn = Duration.ZERO;
      boolean dead = false;
      // a channel (or the adapter's limiter on its behalf) asking to wait is throttling, not a
      // failure: the push waits as asked, and neither counts an attempt nor is dead-lettered
      boolean throttled = r.outcome() == PushResult.Outcome.RETRY && r.retryAfter() != null;
      switch (r.outcome()) {
        case APPLIED:
          latency = Math.max(0, Duration.between(c.changedAt(), now).toMillis());
          break;
        case COMPARE_FAILED:
          // read back (or unknown), then set again at once: not a reason to wait
          dead = attempt >= maxAttempts;
          break;
        case REJECTED:
          dead = true;
          break;
        default:
          // throttled: back exactly when told (e.g. its turn at the limiter), no backoff on top
          retryIn = throttled ? r.retryAfter() : backoff.after(attempt, r.retryAfter());
          dead = !throttled && attempt >= maxAttempts;
      }
      outcomes.add(
          new PushRepository.Outcome(
              c, r, latency, retryIn, dead, holds.get(c.listingId()), !throttled));
    }
    // run again should the database break a deadlock: a record lost here would leave its rows
    // leased, and their pushes unseen, until the lease ran out
    return transactions
        .run(unit -> pushes.recordAll(unit.sql(), outcomes, coalesce))
        .invoke(() -> observe(code, outcomes));
  }

  private void observe(String code, List<PushRepository.Outcome> outcomes) {
    for (PushRepository.Outcome o : outcomes) {
      registry
          .counter(
              "onhand.channel_sync.pushes", "channel", code, "outcome", o.result().outcome().name())
          .increment();
      if (o.latencyMillis() != null) {
        Timer.builder("onhand.channel_sync.latency")
            .description("From stock's change to the channel's APPLIED answer")
            .tag("channel", code)
            .publishPercentileHistogram()
            .register(registry)
            .record(Duration.ofMillis(o.latencyMillis()));
      }
      if (o.deadLetter()) {
        LOG.warnf(
            "channel %s: SKU %s dead-lettered after %d attempts (%s %d: %s)",
            code,
            o.claimed().sku(),
            o.claimed().attempts() + 1,
            o.result().outcome(),
            o.result().httpStatus(),
            PushRepository.excerpt(o.result().response()));
      }
    }
  }

  @Scheduled(
      every = "${onhand.channel-sync.backlog-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> refreshBacklog() {
    return pushes
        .backlog()
        .invoke(
            counts -> {
              pending.set(counts[0]);
              deadLettered.set(counts[1]);
            })
        .replaceWithVoid()
        .onFailure()
        .recoverWithNull();
  }

  @Scheduled(
      every = "1h",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> purgeRecords() {
    return pushes.purge(retention).onFailure().recoverWithNull();
  }
}
