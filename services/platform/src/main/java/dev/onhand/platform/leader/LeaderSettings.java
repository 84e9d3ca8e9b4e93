package dev.onhand.platform.leader;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a replica takes part in leader election.
 *
 * @param mode {@link Mode#KUBERNETES} (a Lease decides) or {@link Mode#SINGLE} (this instance
 *     leads)
 * @param lease the Lease's name
 * @param namespace the Lease's namespace; null for the client's own (the pod's service-account
 *     namespace, or the kubeconfig context's)
 * @param identity this replica's name in the Lease (the pod name); unique among the candidates
 * @param leaseDuration how long others wait after the holder's last renewal before taking over
 *     (whole seconds: the Lease stores seconds)
 * @param renewDeadline how long the holder keeps trying to renew before it gives up leading
 * @param retryPeriod how often candidates try to acquire and the holder renews
 */
public record LeaderSettings(
    Mode mode,
    String lease,
    String namespace,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod) {

  public enum Mode {
    KUBERNETES,
    SINGLE
  }

  public LeaderSettings {
    if (mode == null
        || lease == null
        || lease.isBlank()
        || identity == null
        || identity.isBlank()) {
      throw new IllegalArgumentException(
          "leader election needs a mode, a lease name and an identity");
    }
    // The Lease stores its duration in whole seconds; a fraction would be cut off and let others
    // take over sooner than this replica expects.
    if (leaseDuration.toMillis() < 1000 || leaseDuration.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          "leader election's lease-duration must be whole seconds, got " + leaseDuration);
    }
    // A holder must stop claiming leadership (renew deadline) before others may take the lease
    // (lease duration), and must get several renewal attempts within its deadline.
    if (retryPeriod.isNegative()
        || retryPeriod.isZero()
        || retryPeriod.compareTo(renewDeadline) >= 0
        || renewDeadline.compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException(
          "leader election needs 0 < retry-period < renew-deadline < lease-duration, got "
              + retryPeriod
              + " / "
              + renewDeadline
              + " / "
              + leaseDuration);
    }
  }

  /**
   * The settings from a service's configuration ({@code onhand.leader.*}) and the process
   * environment. Lease name: configured, else the chart's {@code
   * ONHAND_LEADER_ELECTION_LEASE_NAME}, else {@code <service>-leader}. Namespace: configured, else
   * {@code POD_NAMESPACE} or the chart's {@code ONHAND_POD_NAMESPACE}, else the client's. Identity:
   * configured, else the pod name ({@code ONHAND_POD_NAME}, else {@code HOSTNAME} in a pod), else
   * host name and process id.
   */
  static LeaderSettings resolve(
      String mode,
      Optional<String> lease,
      Optional<String> namespace,
      Optional<String> identity,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod,
      String service,
      Function<String, String> env) {
    boolean inPod = present(env, "KUBERNETES_SERVICE_HOST").isPresent();
    return new LeaderSettings(
        mode(mode, env),
        lease
            .or(() -> present(env, "ONHAND_LEADER_ELECTION_LEASE_NAME"))
            .orElse(service + "-leader"),
        namespace
            .or(() -> present(env, "POD_NAMESPACE"))
            .or(() -> present(env, "ONHAND_POD_NAMESPACE"))
            .orElse(null),
        identity
            .or(() -> present(env, "ONHAND_POD_NAME"))
            // in a pod the host name is the pod's; outside, processes on one machine share it
            .or(() -> inPod ? present(env, "HOSTNAME") : Optional.empty())
            .orElseGet(LeaderSettings::hostAndProcess),
        leaseDuration,
        renewDeadline,
        retryPeriod);
  }

  /** {@code auto} is Kubernetes inside a pod (KUBERNETES_SERVICE_HOST is set), else single. */
  static Mode mode(String configured, Function<String, String> env) {
    switch (configured.trim().toLowerCase(Locale.ROOT)) {
      case "auto":
        return present(env, "KUBERNETES_SERVICE_HOST").isPresent() ? Mode.KUBERNETES : Mode.SINGLE;
      case "kubernetes":
        return Mode.KUBERNETES;
      case "single":
        return Mode.SINGLE;
      default:
        throw new IllegalArgumentException(
            "onhand.leader.mode must be auto, kubernetes or single, not '" + configured + "'");
    }
  }

  private static Optional<String> present(Function<String, String> env, String name) {
    return Optional.ofNullable(env.apply(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  // Outside a pod two processes may share a host name; the process id keeps them apart.
  private static String hostAndProcess() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
