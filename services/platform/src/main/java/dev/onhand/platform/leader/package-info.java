/**
 * Leader election: among a service's replicas, one runs the work that must not run twice at once
 * (channel-sync's scheduled reconciliation, other periodic jobs).
 *
 * <h2>Using it in a service</h2>
 *
 * <p>Turn it on in the service's {@code application.properties} (a build-time switch, like {@code
 * onhand.stock-reference.enabled}: a service without it starts no election and needs no Lease
 * permissions):
 *
 * <pre>{@code
 * onhand.leader.enabled=true
 * }</pre>
 *
 * <p>then inject {@link dev.onhand.platform.leader.Leadership} and ask it before each run:
 *
 * <pre>
 * {@literal @}Scheduled(every = "${onhand.channel-sync.reconcile-every:5m}")
 * void reconcile() {
 *   if (!leadership.isLeader()) {
 *     return; // another replica reconciles
 *   }
 *   ... // the scheduled work
 * }
 * </pre>
 *
 * <p>To react to a change instead (start or stop a long-running loop), observe {@link
 * dev.onhand.platform.leader.LeadershipChanged}: {@code void on(@Observes LeadershipChanged
 * change)}. Leadership is a lease, not a lock held across a network partition: a leader whose
 * renewals stall stops calling itself leader after the renew deadline, but work it already started
 * may still be finishing when another replica begins, so leader-only work stays idempotent.
 *
 * <h2>Modes ({@code onhand.leader.mode})</h2>
 *
 * <ul>
 *   <li>{@code auto} (default): {@code kubernetes} when {@code KUBERNETES_SERVICE_HOST} is set (in
 *       a pod), else {@code single}.
 *   <li>{@code kubernetes}: a {@code coordination.k8s.io} Lease decides, through Fabric8's {@code
 *       LeaderElector} and {@code LeaseLock}. Lease {@code onhand.leader.lease-name} (default
 *       {@code <onhand.service>-leader}), namespace {@code onhand.leader.namespace} (default: the
 *       pod's), identity {@code onhand.leader.identity} (default: the pod name); timing {@code
 *       onhand.leader.lease-duration} 15 s, {@code renew-deadline} 10 s, {@code retry-period} 2 s.
 *       The service account needs get, create, update and patch on leases (Fabric8 renews with a
 *       merge patch). On shutdown the leader gives the Lease up, so another replica takes over at
 *       its next attempt. Operations: {@code docs/operations-kubernetes.md}.
 *   <li>{@code single}: this instance leads from the start; no Kubernetes client is created.
 * </ul>
 *
 * <p>Each change is logged, and the gauge {@code onhand_leader{lease="..."}} is 1 while this
 * replica leads.
 */
package dev.onhand.platform.leader;
