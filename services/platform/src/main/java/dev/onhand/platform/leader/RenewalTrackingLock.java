package dev.onhand.platform.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A Lease lock that remembers until when this replica may still call itself the leader: its last
 * successful write of the Lease's renew time, plus the renew deadline. That is sooner than anyone
 * else may take the Lease (renew time plus lease duration), so a replica whose renewals stall stops
 * claiming leadership before another can start, even before Fabric8 notices and says so.
 */
final class RenewalTrackingLock implements Lock {
  private final Lock lease;
  private final Duration renewDeadline;
  private volatile Instant heldUntil = Instant.MIN;

  RenewalTrackingLock(Lock lease, Duration renewDeadline) {
    this.lease = lease;
    this.renewDeadline = renewDeadline;
  }

  /** Whether this replica's last write of the Lease still makes it the holder at {@code now}. */
  boolean heldAt(Instant now) {
    return now.isBefore(heldUntil);
  }

  /** A new candidacy starts from nothing: only its own writes count. */
  void forget() {
    heldUntil = Instant.MIN;
  }

  @Override
  public LeaderElectionRecord get(KubernetesClient client) {
    return call(() -> lease.get(client));
  }

  @Override
  public void create(KubernetesClient client, LeaderElectionRecord record) {
    call(
        () -> {
          lease.create(client, record);
          return null;
        });
    written(record);
  }

  @Override
  public void update(KubernetesClient client, LeaderElectionRecord record) {
    call(
        () -> {
          lease.update(client, record);
          return null;
        });
    written(record);
  }

  @Override
  public String identity() {
    return lease.identity();
  }

  @Override
  public String describe() {
    return lease.describe();
  }

  private void written(LeaderElectionRecord record) {
    heldUntil =
        identity().equals(record.getHolderIdentity())
            ? record.getRenewTime().toInstant().plus(renewDeadline)
            : Instant.MIN; // the release on stop writes an empty holder
  }

  // Fabric8's elector retries after a KubernetesClientException; any other exception would end
  // its loop without a word, leaving this replica out of the election for good.
  private static <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new KubernetesClientException("Lease request failed: " + e, e);
    }
  }
}
