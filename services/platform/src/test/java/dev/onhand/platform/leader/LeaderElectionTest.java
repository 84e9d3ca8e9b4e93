package dev.onhand.platform.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onhand.platform.leader.LeaderSettings.Mode;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas of a service electing their leader through a Lease on a Kubernetes API (Fabric8's mock
 * server in CRUD mode, which refuses stale writes with 409 like a real one). Short timing: lease 2
 * s, renew deadline 1.5 s, retry 0.2 s. All the while a watcher samples every replica's {@code
 * isLeader()}: never two at once.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration RENEW = Duration.ofMillis(1500);
  private static final Duration RETRY = Duration.ofMillis(200);

  // the mock server logs every request at INFO; held here so the level is not lost with the logger
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
  }

  static KubernetesClient client;

  private final List<Replica> replicas = new ArrayList<>();
  private final LeaderWatch watch = new LeaderWatch();
  private String lease;

  @BeforeEach
  void aLeaseOfItsOwn() {
    lease = "reconcile-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void stopEveryReplica() {
    replicas.forEach(replica -> replica.leadership.stop());
    watch.stop();
  }

  @Test
  void ofTwoReplicasExactlyOneLeadsAndKeepsLeadingWhileItRenews() {
    Replica a = replica("sync-a");
    Replica b = replica("sync-b");
    watch.start(replicas);
    a.leadership.start();
    b.leadership.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> leaders().size() == 1);
    Replica leader = leaders().get(0);
    Replica follower = leader == a ? b : a;

    // longer than the lease: the leader must renew it to keep it, the follower must not take it
    await()
        .during(LEASE.plus(Duration.ofMillis(500)))
        .atMost(LEASE.plus(Duration.ofSeconds(3)))
        .until(() -> leader.leadership.isLeader() && !follower.leadership.isLeader());
    assertThat(holder()).isEqualTo(leader.name);
    assertThat(leader.gauge()).isEqualTo(1.0);
    assertThat(follower.gauge()).isEqualTo(0.0);
    await().atMost(Duration.ofSeconds(2)).until(() -> !leader.changes.isEmpty());
    assertThat(leader.changes).containsExactly(new LeadershipChanged(true, lease, leader.name));
    assertThat(follower.changes).isEmpty();
    watch.assertNeverTwoLeaders();
  }

  @Test
  void whenTheLeaderStopsItGivesTheLeaseUpAndTheOtherTakesOverWithoutWaitingForItToExpire() {
    Replica a = replica("sync-a");
    Replica b = replica("sync-b");
    watch.start(replicas);
    a.leadership.start();
    await().atMost(Duration.ofSeconds(5)).until(a.leadership::isLeader);
    b.leadership.start();

    a.leadership.stop();
    long stoppedAt = System.nanoTime();

    assertThat(a.leadership.isLeader()).isFalse();
    assertThat(a.gauge()).isEqualTo(0.0);
    // a's last renewal was at most a retry period ago: without the release b would wait about
    // a whole lease (2 s) for it to expire
    await().atMost(Duration.ofMillis(1500)).until(b.leadership::isLeader);
    assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(LEASE);
    assertThat(holder()).isEqualTo("sync-b");
    assertThat(a.changes)
        .containsExactly(
            new LeadershipChanged(true, lease, "sync-a"),
            new LeadershipChanged(false, lease, "sync-a"));
    watch.assertNeverTwoLeaders();
  }

  @Test
  void aLeaseLeftByAReplicaThatDiedIsTakenOverOnlyOnceItExpires() {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    new LeaseLock(client.getNamespace(), lease, "sync-crashed")
        .create(client, new LeaderElectionRecord("sync-crashed", LEASE, now, now, 0));
    Replica b = replica("sync-b");
    watch.start(replicas);

    b.leadership.start();

    await()
        .during(LEASE.minus(Duration.ofMillis(500)))
        .atMost(LEASE)
        .until(() -> !b.leadership.isLeader());
    await().atMost(Duration.ofSeconds(3)).until(b.leadership::isLeader);
    assertThat(holder()).isEqualTo("sync-b");
    assertThat(transitions()).isEqualTo(1);
    watch.assertNeverTwoLeaders();
  }

  @Test
  void aLeaderWhoseLeaseIsTakenStopsLeadingAndStandsAgain() {
    Replica a = replica("sync-a");
    watch.start(replicas);
    a.leadership.start();
    await().atMost(Duration.ofSeconds(5)).until(a.leadership::isLeader);

    // another holder writes itself into the Lease (a replica with a wrong clock, an operator)
    LeaseLock intruder = new LeaseLock(client.getNamespace(), lease, "sync-intruder");
    LeaderElectionRecord held = intruder.get(client);
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    intruder.update(
        client,
        new LeaderElectionRecord(
            "sync-intruder", LEASE, now, now, held.getLeaderTransitions() + 1));

    await().atMost(Duration.ofSeconds(1)).until(() -> !a.leadership.isLeader());
    // the intruder never renews: once its Lease expires, a stands again and wins it back
    await().atMost(LEASE.plus(Duration.ofSeconds(3))).until(a.leadership::isLeader);
    assertThat(holder()).isEqualTo("sync-a");
    await().atMost(Duration.ofSeconds(2)).until(() -> a.changes.size() == 3);
    assertThat(a.changes).extracting(LeadershipChanged::leader).containsExactly(true, false, true);
    watch.assertNeverTwoLeaders();
  }

  @Test
  void threeReplicasHandTheLeaseOnOneAfterAnotherAndNeverLeadTogether() {
    Replica a = replica("sync-a");
    Replica b = replica("sync-b");
    Replica c = replica("sync-c");
    watch.start(replicas);
    replicas.forEach(replica -> replica.leadership.start());

    List<String> successive = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      await().atMost(Duration.ofSeconds(5)).until(() -> leaders().size() == 1);
      Replica leader = leaders().get(0);
      successive.add(leader.name);
      leader.leadership.stop();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> leaders().size() == 1);
    successive.add(leaders().get(0).name);

    assertThat(successive).containsExactlyInAnyOrder(a.name, b.name, c.name);
    watch.assertNeverTwoLeaders();
  }

  private Replica replica(String name) {
    Replica replica =
        new Replica(
            name,
            new LeaderSettings(
                Mode.KUBERNETES, lease, client.getNamespace(), name, LEASE, RENEW, RETRY));
    replicas.add(replica);
    return replica;
  }

  private List<Replica> leaders() {
    return replicas.stream().filter(replica -> replica.leadership.isLeader()).toList();
  }

  private Lease leaseObject() {
    return client.leases().inNamespace(client.getNamespace()).withName(lease).get();
  }

  private String holder() {
    return leaseObject().getSpec().getHolderIdentity();
  }

  private int transitions() {
    return leaseObject().getSpec().getLeaseTransitions();
  }

  private static final class Replica {
    final String name;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<LeadershipChanged> changes = new CopyOnWriteArrayList<>();
    final Leadership leadership;

    Replica(String name, LeaderSettings settings) {
      this.name = name;
      this.leadership = new Leadership(settings, client, registry, changes::add);
    }

    double gauge() {
      return registry.get("onhand.leader").gauge().value();
    }
  }

  /**
   * Samples every replica's {@code isLeader()} until stopped. Each round reads all replicas twice;
   * a replica counts as leading only if both reads say so, so two counted in one round led at the
   * same moment (a replica cannot lose and regain the Lease between two reads microseconds apart).
   */
  private static final class LeaderWatch {
    private final List<String> overlaps = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile long rounds;
    private Thread thread;

    void start(List<Replica> replicas) {
      running = true;
      thread =
          new Thread(
              () -> {
                while (running) {
                  boolean[] first = new boolean[replicas.size()];
                  for (int i = 0; i < first.length; i++) {
                    first[i] = replicas.get(i).leadership.isLeader();
                  }
                  List<String> leading = new ArrayList<>();
                  for (int i = 0; i < first.length; i++) {
                    if (replicas.get(i).leadership.isLeader() && first[i]) {
                      leading.add(replicas.get(i).name);
                    }
                  }
                  if (leading.size() > 1) {
                    overlaps.add(String.join(" and ", leading));
                  }
                  rounds++;
                  LockSupport.parkNanos(200_000); // often, without taking a core from the election
                }
              },
              "leader-watch");
      thread.setDaemon(true);
      thread.start();
    }

    void assertNeverTwoLeaders() {
      assertThat(rounds).as("the watch sampled the replicas").isGreaterThan(100);
      assertThat(overlaps).as("moments with two leaders").isEmpty();
    }

    void stop() {
      running = false;
      if (thread != null) {
        try {
          thread.join(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
