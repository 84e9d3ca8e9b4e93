package dev.onhand.channelsync.reconciliation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.channelsync.adapter.ChannelAdapter;
import dev.onhand.channelsync.adapter.ChannelTarget;
import dev.onhand.channelsync.adapter.ChannelType;
import dev.onhand.channelsync.channel.Channel;
import dev.onhand.channelsync.channel.ChannelRepository;
import dev.onhand.channelsync.channel.CredentialReferences;
import dev.onhand.channelsync.push.ChannelAdapters;
import dev.onhand.channelsync.reconciliation.Reconciliation.Line;
import dev.onhand.channelsync.reconciliation.Reconciliation.State;
import dev.onhand.channelsync.reconciliation.Reconciliation.Trigger;
import dev.onhand.channelsync.sellable.ChannelQuantities;
import dev.onhand.platform.deadletter.OperationalExceptions;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.messaging.OperationalException;
import dev.onhand.platform.tx.Transactions;
import dev.onhand.platform.tx.UnitOfWork;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reconciles a channel: reads back what the channel shows for every listing (in batches, through
 * the channel type's {@link ChannelAdapter#read}), compares it with what the channel last applied,
 * and records a line per listing. A push in flight (a newer version not applied yet, or one that
 * moved while the channel was read) is not drift. Drift is corrected through the push pipeline: the
 * listing gets a new version of its current quantity, due at once, and when it differs by more than
 * {@code drift-tolerance} units a CHANNEL_DRIFT exception goes to stock's register.
 *
 * <p>A channel that cannot be read back (a generic webhook) is reported UNREADABLE and never
 * "corrected": nothing says it is wrong. A listing the channel does not know is MISSING and not
 * pushed either (a push to an unknown listing is refused and would only dead-letter it).
 *
 * <p>An Amazon channel whose setting {@code fulfilledBy} is {@code AMAZON} (FBA) shows the count of
 * its single eligible location, which Amazon owns: its quantities are reported to stock as {@code
 * channel-sync.snapshot.reported} (stock mirrors the node and raises the exceptions) and are not
 * pushed over.
 */
@ApplicationScoped
public class Reconciler {
  public static final String SNAPSHOT_REPORTED = "channel-sync.snapshot.reported";
  static final String FULFILLED_BY = "fulfilledBy";

  private static final Logger LOG = Logger.getLogger(Reconciler.class);

  private final Pool pool;
  private final Transactions transactions;
  private final ReconciliationRepository reconciliations;
  private final ChannelRepository channels;
  private final ChannelAdapters adapters;
  private final CredentialReferences credentials;
  private final ChannelQuantities quantities;
  private final OperationalExceptions exceptions;
  private final ObjectMapper mapper;
  private final MeterRegistry registry;
  private final int batchSize;
  private final Duration callTimeout;
  private final long tolerance;
  private final Duration retention;
  private final Map<String, AtomicLong> drift = new ConcurrentHashMap<>();

  public Reconciler(
      Pool pool,
      Transactions transactions,
      ReconciliationRepository reconciliations,
      ChannelRepository channels,
      ChannelAdapters adapters,
      CredentialReferences credentials,
      ChannelQuantities quantities,
      OperationalExceptions exceptions,
      ObjectMapper mapper,
      MeterRegistry registry,
      @ConfigProperty(name = "onhand.channel-sync.reconciliation.batch-size", defaultValue = "50")
          int batchSize,
      @ConfigProperty(
              name = "onhand.channel-sync.reconciliation.call-timeout",
              defaultValue = "PT60S")
          Duration callTimeout,
      @ConfigProperty(
              name = "onhand.channel-sync.reconciliation.drift-tolerance",
              defaultValue = "0")
          long tolerance,
      @ConfigProperty(name = "onhand.channel-sync.reconciliation.retention", defaultValue = "P7D")
          Duration retention) {
    this.pool = pool;
    this.transactions = transactions;
    this.reconciliations = reconciliations;
    this.channels = channels;
    this.adapters = adapters;
    this.credentials = credentials;
    this.quantities = quantities;
    this.exceptions = exceptions;
    this.mapper = mapper;
    this.registry = registry;
    this.batchSize = batchSize;
    this.callTimeout = callTimeout;
    this.tolerance = tolerance;
    this.retention = retention;
  }

  /** Whether reconciliation can read a channel of this type back. */
  static boolean readable(ChannelType type) {
    return type != ChannelType.GENERIC_WEBHOOK;
  }

  /** Whether the channel shows an authoritative node's own count (Amazon FBA). */
  static boolean authoritative(Channel channel) {
    return channel.type() == ChannelType.AMAZON
        && "AMAZON".equalsIgnoreCase(channel.settings().get(FULFILLED_BY))
        && channel.eligibleLocations().size() == 1;
  }

  /**
   * Records a new run of the channel in {@code unit}; start it with {@link #run} once committed.
   */
  public Uni<UUID> begin(UnitOfWork unit, String code, Trigger trigger) {
    UUID id = UUID.randomUUID();
    return reconciliations.insert(unit.sql(), id, code, trigger).replaceWith(id);
  }

  /** Starts a recorded run in the background. */
  public void start(UUID id, String code) {
    run(id, code)
        .subscribe()
        .with(
            ignored -> {},
            failure -> LOG.warnf("reconciliation %s of %s failed: %s", id, code, failure));
  }

  /** Records and runs a reconciliation of the channel to its end; the run's id. */
  public Uni<UUID> reconcile(String code, Trigger trigger) {
    return transactions
        .run(unit -> begin(unit, code, trigger))
        .call(id -> run(id, code).onFailure().recoverWithNull());
  }

  /** Runs a recorded reconciliation; a failure is recorded on the run (and passed on). */
  Uni<Void> run(UUID id, String code) {
    return channels
        .find(pool, code)
        .chain(channel -> compare(id, channel))
        .onFailure()
        .call(
            failure ->
                pool.withTransaction(sql -> reconciliations.failed(sql, id, failure.toString())));
  }

  private Uni<Void> compare(UUID id, Channel channel) {
    String code = channel.code();
    ChannelAdapter adapter = adapters.of(channel.type());
    if (adapter == null) {
      return Uni.createFrom()
          .failure(new IllegalStateException("no adapter for channel type " + channel.type()));
    }
    boolean readable = readable(channel.type());
    return reconciliations
        .known(pool, code)
        .chain(
            before -> {
              Uni<Map<String, Long>> shown;
              if (!readable || before.isEmpty()) {
                shown = Uni.createFrom().item(Map.of());
              } else {
                ChannelTarget target =
                    new ChannelTarget(
                        code,
                        channel.type(),
                        URI.create(channel.endpoint()),
                        credentials.resolve(code, channel.credentials()),
                        channel.settings());
                shown = read(adapter, target, new ArrayList<>(before.keySet()));
              }
              // what is known after the read too: a push that moved meanwhile is in flight
              return shown.chain(
                  channelShows ->
                      reconciliations
                          .known(pool, code)
                          .chain(
                              after -> record(id, channel, readable, before, after, channelShows)));
            });
  }

  private Uni<Map<String, Long>> read(
      ChannelAdapter adapter, ChannelTarget target, List<String> listingIds) {
    Map<String, Long> shown = new HashMap<>();
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (int from = 0; from < listingIds.size(); from += batchSize) {
      List<String> batch = listingIds.subList(from, Math.min(listingIds.size(), from + batchSize));
      chain =
          chain.chain(
              () ->
                  Uni.createFrom()
                      .deferred(() -> adapter.read(target, batch))
                      .ifNoItem()
                      .after(callTimeout)
                      .fail()
                      .invoke(shown::putAll)
                      .replaceWithVoid());
    }
    return chain.replaceWith(shown);
  }

  private Uni<Void> record(
      UUID id,
      Channel channel,
      boolean readable,
      Map<String, Findings.Known> before,
      Map<String, Findings.Known> after,
      Map<String, Long> shown) {
    String code = channel.code();
    boolean authoritative = authoritative(channel);
    OffsetDateTime observedAt = OffsetDateTime.now(ZoneOffset.UTC);
    return transactions
        .run(
            unit -> {
              List<Line> lines = new ArrayList<>();
              Uni<Void> chain = Uni.createFrom().voidItem();
              int snapshots = 0;
              for (Findings.Known was : before.values()) {
                Findings.Known now = after.getOrDefault(was.listingId(), was);
                Long channelQuantity = shown.get(was.listingId());
                State state = Findings.classify(readable, was, now, channelQuantity);
                Long expected = Findings.expected(now);
                Line line =
                    new Line(
                        now.sku(),
                        now.listingId(),
                        channelQuantity,
                        now.sentQuantity(),
                        now.quantity(),
                        state,
                        false);
                if (state == State.DRIFT && !authoritative) {
                  chain =
                      chain
                          .chain(() -> correct(unit, code, now, channelQuantity, lines, line))
                          .chain(() -> raise(unit, id, code, now, expected, channelQuantity));
                } else {
                  lines.add(line);
                }
                if (authoritative && channelQuantity != null) {
                  snapshots++;
                  report(unit, id, channel, now.sku(), channelQuantity, observedAt);
                }
              }
              int reported = snapshots;
              return chain
                  .chain(() -> reconciliations.lines(unit.sql(), id, lines))
                  .chain(() -> reconciliations.completed(unit.sql(), id, lines, reported))
                  .replaceWith(lines);
            })
        .invoke(
            lines -> gauge(code).set(lines.stream().filter(l -> l.state() == State.DRIFT).count()))
        .invoke(
            lines ->
                LOG.infof(
                    "reconciliation %s of %s: %d listings, %d drifted",
                    id,
                    code,
                    lines.size(),
                    lines.stream().filter(l -> l.state() == State.DRIFT).count()))
        .replaceWithVoid();
  }

  /**
   * Pushes the current quantity again through the pipeline: a new version, due at once. The channel
   * is first recorded as holding what it showed, so a compare-and-set push expects that.
   */
  private Uni<Void> correct(
      UnitOfWork unit,
      String code,
      Findings.Known known,
      long channelQuantity,
      List<Line> lines,
      Line line) {
    if (known.deadLettered()) {
      // a dead letter waits for an operator's replay, which pushes the current quantity
      lines.add(line);
      return Uni.createFrom().voidItem();
    }
    return reconciliations
        .channelHolds(unit.sql(), code, known.sku(), known.version(), channelQuantity)
        .chain(
            held -> {
              if (!held) {
                lines.add(line); // a push started meanwhile: it sets the channel anyway
                return Uni.createFrom().voidItem();
              }
              lines.add(
                  new Line(
                      line.sku(),
                      line.listingId(),
                      line.channelQuantity(),
                      line.expected(),
                      line.computed(),
                      line.state(),
                      true));
              return quantities.listingChanged(
                  unit.sql(), code, known.sku(), OffsetDateTime.now(), true);
            });
  }

  /** CHANNEL_DRIFT for stock's register when the drift exceeds the tolerance. */
  private Uni<Void> raise(
      UnitOfWork unit, UUID id, String code, Findings.Known known, Long expected, long shown) {
    long expectedUnits = expected == null ? 0 : expected;
    long difference = Math.abs(shown - expectedUnits);
    if (difference <= tolerance) {
      return Uni.createFrom().voidItem();
    }
    // one exception per reconciliation line, whatever the number of deliveries
    UUID exceptionId =
        UUID.nameUUIDFromBytes(
            ("channel-drift:" + id + ":" + known.sku()).getBytes(StandardCharsets.UTF_8));
    return exceptions.raise(
        unit,
        new OperationalException(
            exceptionId,
            "CHANNEL_DRIFT",
            difference > 10 ? "HIGH" : "MEDIUM",
            "reconciliation:" + id,
            OffsetDateTime.now(ZoneOffset.UTC),
            known.sku(),
            null,
            expectedUnits,
            shown,
            List.of("channel:" + code, "listing:" + known.listingId()),
            "Channel "
                + code
                + " showed "
                + shown
                + " of "
                + known.sku()
                + " where it last applied "
                + expectedUnits
                + "; the current quantity is pushed again."));
  }

  /** What the authoritative node holds of one SKU, for stock to mirror. */
  public record SnapshotReported(
      UUID reconciliationId,
      String channel,
      String location,
      String sku,
      long quantity,
      OffsetDateTime observedAt) {}

  private void report(
      UnitOfWork unit, UUID id, Channel channel, String sku, long quantity, OffsetDateTime at) {
    String location = channel.eligibleLocations().get(0);
    unit.publish(
        Envelope.create(
            SNAPSHOT_REPORTED,
            "onhand/channel-sync",
            sku + "@" + location,
            null,
            null,
            mapper.valueToTree(
                new SnapshotReported(id, channel.code(), location, sku, quantity, at))),
        sku + "@" + location);
  }

  /**
   * The gauge from the database, so every replica shows each channel's last completed run, not only
   * the runs it made itself.
   */
  @Scheduled(
      every = "${onhand.channel-sync.backlog-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> refreshDrift() {
    return pool.query(
            "SELECT DISTINCT ON (channel) channel, drifted FROM reconciliation WHERE status ="
                + " 'COMPLETED' ORDER BY channel, finished_at DESC")
        .execute()
        .invoke(
            rows ->
                rows.forEach(row -> gauge(row.getString("channel")).set(row.getInteger("drifted"))))
        .replaceWithVoid()
        .onFailure()
        .recoverWithNull();
  }

  /** Forgets runs (and their lines) older than {@code retention}; a channel's last run stays. */
  @Scheduled(
      every = "1h",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> purge() {
    return pool.preparedQuery(
            "DELETE FROM reconciliation r WHERE r.started_at < clock_timestamp() -"
                + " make_interval(secs => $1) AND r.id IS DISTINCT FROM (SELECT l.id FROM"
                + " reconciliation l WHERE l.channel = r.channel AND l.status = 'COMPLETED'"
                + " ORDER BY l.finished_at DESC LIMIT 1)")
        .execute(Tuple.of((double) retention.toSeconds()))
        .replaceWithVoid()
        .onFailure()
        .recoverWithNull();
  }

  private AtomicLong gauge(String code) {
    return drift.computeIfAbsent(
        code,
        c -> registry.gauge("onhand.channel_sync.drift", Tags.of("channel", c), new AtomicLong()));
  }
}
