package dev.onhand.platform.leader;

import dev.onhand.platform.leader.LeaderSettings.Mode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Whether this replica is the one that runs the service's leader-only work (scheduled
 * reconciliation, periodic jobs). In Kubernetes a Lease decides (Fabric8's {@link LeaderElector}
 * with a {@link LeaseLock}); outside Kubernetes the single instance leads from the start. See the
 * package documentation for how a service uses it.
 */
@ApplicationScoped
@IfBuildProperty(name = "onhand.leader.enabled", stringValue = "true")
public class Leadership {
  private static final Logger LOG = Logger.getLogger(Leadership.class);

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private final LeaderSettings settings;
  private final KubernetesClient kubernetes;
  private final boolean ownsClient;
  private final Consumer<LeadershipChanged> listener;
  private final Object lifecycle = new Object();
  private final Object change = new Object();
  private volatile State state = State.NEW;
  private volatile boolean leading;
  private volatile String holder;
  private volatile RenewalTrackingLock lock;
  private ScheduledExecutorService elections;
  private ExecutorService notifications;
  private CompletableFuture<?> term;

  @Inject
  Leadership(
      @ConfigProperty(name = "onhand.leader.mode", defaultValue = "auto") String mode,
      @ConfigProperty(name = "onhand.leader.lease-name") Optional<String> leaseName,
      @ConfigProperty(name = "onhand.leader.namespace") Optional<String> namespace,
      @ConfigProperty(name = "onhand.leader.identity") Optional<String> identity,
      @ConfigProperty(name = "onhand.leader.lease-duration", defaultValue = "PT15S")
          Duration leaseDuration,
      @ConfigProperty(name = "onhand.leader.renew-deadline", defaultValue = "PT10S")
          Duration renewDeadline,
      @ConfigProperty(name = "onhand.leader.retry-period", defaultValue = "PT2S")
          Duration retryPeriod,
      @ConfigProperty(name = "onhand.service") String service,
      MeterRegistry registry,
      Event<LeadershipChanged> changes,
      Vertx vertx) {
    this(
        LeaderSettings.resolve(
            mode,
            leaseName,
            namespace,
            identity,
            leaseDuration,
            renewDeadline,
            retryPeriod,
            service,
            System::getenv),
        registry,
        changes::fire,
        vertx);
  }

  private Leadership(
      LeaderSettings settings,
      MeterRegistry registry,
      Consumer<LeadershipChanged> listener,
      Vertx vertx) {
    // the client exists only in Kubernetes mode, so a single instance never looks for a cluster
    this(
        settings,
        settings.mode() == Mode.KUBERNETES
            ? new KubernetesClientBuilder()
                .withHttpClientFactory(new VertxHttpClientFactory(vertx))
                .build()
            : null,
        true,
        registry,
        listener);
  }

  /**
   * For tests and code outside CDI: {@code kubernetes} is the client to take the Lease with (null
   * in single mode), which the caller closes; {@code listener} is told of every change.
   */
  public Leadership(
      LeaderSettings settings,
      KubernetesClient kubernetes,
      MeterRegistry registry,
      Consumer<LeadershipChanged> listener) {
    this(settings, kubernetes, false, registry, listener);
  }

  private Leadership(
      LeaderSettings settings,
      KubernetesClient kubernetes,
      boolean ownsClient,
      MeterRegistry registry,
      Consumer<LeadershipChanged> listener) {
    if ((settings.mode() == Mode.KUBERNETES) != (kubernetes != null)) {
      throw new IllegalArgumentException("a Kubernetes client is needed in Kubernetes mode only");
    }
    this.settings = settings;
    this.kubernetes = kubernetes;
    this.ownsClient = ownsClient;
    this.listener = listener;
    Gauge.builder("onhand.leader", this, l -> l.isLeader() ? 1 : 0)
        .description("1 while this replica leads (holds the Lease), else 0")
        .tag("lease", settings.lease())
        .strongReference(true)
        .register(registry);
  }

  /**
   * Whether this replica leads now. In Kubernetes it is true only while this replica holds the
   * Lease and its last renewal is within the renew deadline, so two replicas never both see true
   * (with clocks in step, and no one but the replicas writing the Lease). Check it right before
   * each unit of leader-only work.
   */
  public boolean isLeader() {
    if (!leading) {
      return false;
    }
    RenewalTrackingLock held = lock;
    return held == null || held.heldAt(Instant.now());
  }

  /** The Lease's name (also the metric's {@code lease} tag). */
  public String lease() {
    return settings.lease();
  }

  /** This replica's identity in the Lease. */
  public String identity() {
    return settings.identity();
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  /** Starts taking part: single mode leads at once; Kubernetes mode stands for the Lease. */
  public void start() {
    synchronized (lifecycle) {
      if (state != State.NEW) {
        return;
      }
      String namespace = null;
      if (settings.mode() == Mode.KUBERNETES) {
        namespace = settings.namespace() != null ? settings.namespace() : kubernetes.getNamespace();
        if (namespace == null) {
          throw new IllegalStateException(
              "Leader election: no namespace for Lease "
                  + lease()
                  + " (set onhand.leader.namespace or POD_NAMESPACE)");
        }
      }
      state = State.RUNNING;
      notifications = Executors.newSingleThreadExecutor(daemon("onhand-leader-changes-" + lease()));
      if (settings.mode() == Mode.SINGLE) {
        LOG.infof(
            "Leader election: single instance, %s leads %s without a Lease", identity(), lease());
        changeTo(true);
        return;
      }
      lock =
          new RenewalTrackingLock(
              new LeaseLock(namespace, lease(), identity()), settings.renewDeadline());
      elections =
          Executors.newSingleThreadScheduledExecutor(daemon("onhand-leader-election-" + lease()));
      LOG.infof("Leader election: %s stands for Lease %s/%s", identity(), namespace, lease());
      stand();
    }
  }

  /**
   * Stops taking part. A leader first stops claiming leadership and then gives the Lease up, so
   * another replica takes over at its next attempt instead of waiting for the Lease to expire.
   */
  public void stop() {
    CompletableFuture<?> current;
    boolean running;
    synchronized (lifecycle) {
      running = state == State.RUNNING;
      state = State.STOPPED;
      current = term;
    }
    if (running) {
      changeTo(false);
      if (current != null) {
        current.cancel(true); // the elector releases the Lease before this returns
      }
      if (elections != null) {
        elections.shutdownNow();
        await(elections);
      }
      notifications.shutdown();
      await(notifications);
    }
    if (ownsClient && kubernetes != null) {
      kubernetes.close();
    }
  }

  /** One candidacy: acquire the Lease, renew it, and end when it cannot be renewed in time. */
  private void stand() {
    synchronized (lifecycle) {
      if (state != State.RUNNING) {
        return;
      }
      CompletableFuture<?> candidacy =
          new LeaderElector(kubernetes, electionConfig(), elections).start();
      term = candidacy;
      candidacy.whenComplete((ignored, failure) -> ended(failure));
    }
  }

  // Fabric8's elector ends for good once its leader misses the renew deadline; a replica that
  // lost the Lease (API server unreachable, Lease taken over) must stand again.
  private void ended(Throwable failure) {
    changeTo(false);
    lock.forget();
    synchronized (lifecycle) {
      if (state != State.RUNNING) {
        return;
      }
      LOG.warnf(
          "Leader election: %s's candidacy for Lease %s ended%s; standing again",
          settings.identity(), lease(), failure == null ? "" : " (" + failure + ")");
      elections.schedule(this::stand, settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private LeaderElectionConfig electionConfig() {
    return new LeaderElectionConfigBuilder()
        .withName(lease())
        .withLock(lock)
        .withLeaseDuration(settings.leaseDuration())
        .withRenewDeadline(settings.renewDeadline())
        .withRetryPeriod(settings.retryPeriod())
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(
            new LeaderCallbacks(
                () -> changeTo(true), () -> changeTo(false), newHolder -> holder = newHolder))
        .build();
  }

  // Called from the election's thread (inside Fabric8's elector) and from stop(): it never takes
  // the lifecycle lock, and it queues listeners in the order of the changes on their own thread.
  private void changeTo(boolean leader) {
    synchronized (change) {
      // after stop() nothing may claim leadership again, even a renewal that was in flight
      if ((leader && state != State.RUNNING) || leading == leader) {
        return;
      }
      leading = leader;
      if (leader) {
        LOG.infof("Leader election: %s now leads %s", identity(), lease());
      } else {
        String other =
            holder == null || holder.equals(identity()) ? "" : "; " + holder + " holds it";
        LOG.infof("Leader election: %s no longer leads %s%s", identity(), lease(), other);
      }
      LeadershipChanged changed = new LeadershipChanged(leader, lease(), identity());
      notifications.execute(
          () -> {
            try {
              listener.accept(changed);
            } catch (RuntimeException e) {
              LOG.errorf(e, "Leader election: a listener failed on %s", changed);
            }
          });
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  private static void await(ExecutorService executor) {
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
