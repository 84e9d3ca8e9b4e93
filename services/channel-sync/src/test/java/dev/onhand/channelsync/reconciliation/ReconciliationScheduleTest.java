package dev.onhand.channelsync.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.platform.leader.LeaderSettings;
import dev.onhand.platform.leader.Leadership;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduled round runs on the leader only; on-demand runs are not its business. */
class ReconciliationScheduleTest {
  private final Leadership leadership =
      new Leadership(
          new LeaderSettings(
              LeaderSettings.Mode.SINGLE,
              "channel-sync-leader",
              null,
              "replica-a",
              Duration.ofSeconds(15),
              Duration.ofSeconds(10),
              Duration.ofSeconds(2)),
          null,
          new SimpleMeterRegistry(),
          change -> {});
  private final List<String> reconciled = new CopyOnWriteArrayList<>();
  private final ReconciliationSchedule schedule =
      new ReconciliationSchedule(
          leadership::isLeader,
          () -> Uni.createFrom().item(List.of("AMAZON-1", "SHOP-1", "WALMART-1")),
          code -> {
            reconciled.add(code);
            return code.equals("SHOP-1")
                ? Uni.createFrom().failure(new IllegalStateException("channel down"))
                : Uni.createFrom().voidItem();
          });

  @AfterEach
  void stop() {
    leadership.stop();
  }

  @Test
  void aReplicaThatDoesNotLeadReconcilesNothing() {
    assertThat(leadership.isLeader()).isFalse();

    assertThat(schedule.reconcileAll().await().indefinitely()).isZero();
    assertThat(reconciled).isEmpty();
  }

  @Test
  void theLeaderReconcilesEveryChannelAndOneFailureDoesNotStopTheOthers() {
    leadership.start(); // single instance: leads at once

    assertThat(schedule.reconcileAll().await().indefinitely()).isEqualTo(3);
    assertThat(reconciled).containsExactly("AMAZON-1", "SHOP-1", "WALMART-1");
  }

  @Test
  void aReplicaThatStopsLeadingStopsTheRound() {
    leadership.start();
    ReconciliationSchedule stopping =
        new ReconciliationSchedule(
            leadership::isLeader,
            () -> Uni.createFrom().item(List.of("A", "B", "C")),
            code -> {
              reconciled.add(code);
              leadership.stop(); // the Lease moved to another replica during the first channel
              return Uni.createFrom().voidItem();
            });

    assertThat(stopping.reconcileAll().await().indefinitely()).isEqualTo(1);
    assertThat(reconciled).containsExactly("A");
  }
}
