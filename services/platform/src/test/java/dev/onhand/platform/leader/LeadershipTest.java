package dev.onhand.platform.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.onhand.platform.leader.LeaderSettings.Mode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Outside Kubernetes the single instance leads; how the settings come from configuration. */
class LeadershipTest {
  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final Duration RENEW = Duration.ofSeconds(10);
  private static final Duration RETRY = Duration.ofSeconds(2);

  @Test
  void aSingleInstanceLeadsAtOnceAndStopsLeadingOnShutdown() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<LeadershipChanged> changes = new CopyOnWriteArrayList<>();
    Leadership leadership =
        new Leadership(
            new LeaderSettings(
                Mode.SINGLE, "channel-sync-leader", null, "sync-1", LEASE, RENEW, RETRY),
            null,
            registry,
            changes::add);
    assertThat(leadership.isLeader()).isFalse();

    leadership.start();

    assertThat(leadership.isLeader()).isTrue();
    assertThat(gauge(registry, "channel-sync-leader")).isEqualTo(1.0);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(changes)
                    .containsExactly(new LeadershipChanged(true, "channel-sync-leader", "sync-1")));

    leadership.stop();

    assertThat(leadership.isLeader()).isFalse();
    assertThat(gauge(registry, "channel-sync-leader")).isEqualTo(0.0);
    assertThat(changes)
        .containsExactly(
            new LeadershipChanged(true, "channel-sync-leader", "sync-1"),
            new LeadershipChanged(false, "channel-sync-leader", "sync-1"));
  }

  @Test
  void autoModeUsesALeaseOnlyInsideAPod() {
    assertThat(LeaderSettings.mode("auto", env(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"))))
        .isEqualTo(Mode.KUBERNETES);
    assertThat(LeaderSettings.mode("auto", env(Map.of()))).isEqualTo(Mode.SINGLE);
    assertThat(LeaderSettings.mode("single", env(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"))))
        .isEqualTo(Mode.SINGLE);
    assertThat(LeaderSettings.mode("Kubernetes", env(Map.of()))).isEqualTo(Mode.KUBERNETES);
    assertThatThrownBy(() -> LeaderSettings.mode("lease", env(Map.of())))
        .hasMessageContaining("auto, kubernetes or single");
  }

  @Test
  void inAPodTheLeaseIsNamedForTheServiceAndHeldInThePodsName() {
    LeaderSettings settings =
        resolve(
            Optional.empty(),
            Optional.empty(),
            Map.of(
                "KUBERNETES_SERVICE_HOST", "10.96.0.1",
                "POD_NAMESPACE", "onhand",
                "HOSTNAME", "onhand-channel-sync-7d9f-abcde"));

    assertThat(settings.mode()).isEqualTo(Mode.KUBERNETES);
    assertThat(settings.lease()).isEqualTo("channel-sync-leader");
    assertThat(settings.namespace()).isEqualTo("onhand");
    assertThat(settings.identity()).isEqualTo("onhand-channel-sync-7d9f-abcde");
  }

  @Test
  void theChartsVariablesNameTheLeaseNamespaceAndPodAndConfigurationWins() {
    Map<String, String> chart =
        Map.of(
            "ONHAND_LEADER_ELECTION_LEASE_NAME", "onhand-channel-sync",
            "ONHAND_POD_NAMESPACE", "onhand",
            "ONHAND_POD_NAME", "onhand-channel-sync-0",
            "HOSTNAME", "ignored");

    LeaderSettings fromChart = resolve(Optional.empty(), Optional.empty(), chart);
    assertThat(fromChart.lease()).isEqualTo("onhand-channel-sync");
    assertThat(fromChart.namespace()).isEqualTo("onhand");
    assertThat(fromChart.identity()).isEqualTo("onhand-channel-sync-0");

    LeaderSettings configured = resolve(Optional.of("reconcile"), Optional.of("replica-a"), chart);
    assertThat(configured.lease()).isEqualTo("reconcile");
    assertThat(configured.identity()).isEqualTo("replica-a");
  }

  @Test
  void outsideAPodTheIdentityIsTheHostAndProcessSoTwoProcessesNeverShareIt() {
    LeaderSettings settings =
        resolve(Optional.empty(), Optional.empty(), Map.of("HOSTNAME", "workstation"));

    assertThat(settings.identity())
        .isNotEqualTo("workstation")
        .endsWith("-" + ProcessHandle.current().pid());
    assertThat(settings.namespace()).isNull(); // the client's own namespace is used
  }

  @Test
  void timingThatWouldLetTwoReplicasLeadAtOnceIsRefused() {
    // renewing until after others may take the Lease
    assertThatThrownBy(
            () ->
                new LeaderSettings(
                    Mode.KUBERNETES, "l", "ns", "a", LEASE, Duration.ofSeconds(15), RETRY))
        .hasMessageContaining("renew-deadline < lease-duration");
    // the Lease keeps whole seconds: 2.5 s would be stored as 2 s
    assertThatThrownBy(
            () ->
                new LeaderSettings(
                    Mode.KUBERNETES,
                    "l",
                    "ns",
                    "a",
                    Duration.ofMillis(2500),
                    Duration.ofSeconds(2),
                    RETRY.dividedBy(10)))
        .hasMessageContaining("whole seconds");
  }

  @Test
  void kubernetesModeWithoutAClientIsRefused() {
    LeaderSettings kubernetes =
        new LeaderSettings(Mode.KUBERNETES, "l", "ns", "a", LEASE, RENEW, RETRY);
    assertThatThrownBy(() -> new Leadership(kubernetes, null, new SimpleMeterRegistry(), c -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static LeaderSettings resolve(
      Optional<String> lease, Optional<String> identity, Map<String, String> env) {
    return LeaderSettings.resolve(
        "auto", lease, Optional.empty(), identity, LEASE, RENEW, RETRY, "channel-sync", env(env));
  }

  private static java.util.function.Function<String, String> env(Map<String, String> values) {
    return values::get;
  }

  private static double gauge(SimpleMeterRegistry registry, String lease) {
    return registry.get("onhand.leader").tag("lease", lease).gauge().value();
  }
}
