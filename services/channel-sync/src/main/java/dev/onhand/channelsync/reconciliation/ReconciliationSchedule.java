package dev.onhand.channelsync.reconciliation;

import dev.onhand.channelsync.reconciliation.Reconciliation.Trigger;
import dev.onhand.platform.leader.Leadership;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Reconciles every channel every {@code onhand.channel-sync.reconciliation.interval} (10 minutes),
 * on the leader only: one replica reads the channels back, whatever the number of replicas. A
 * channel that fails is recorded FAILED and the others go on.
 */
@ApplicationScoped
public class ReconciliationSchedule {
  private static final Logger LOG = Logger.getLogger(ReconciliationSchedule.class);

  private final Supplier<Boolean> leading;
  private final Supplier<Uni<List<String>>> channels;
  private final Function<String, Uni<?>> reconcile;

  @Inject
  ReconciliationSchedule(
      Leadership leadership,
      Reconciler reconciler,
      ReconciliationRepository reconciliations,
      Pool pool) {
    this(
        leadership::isLeader,
        () -> reconciliations.channels(pool),
        code -> reconciler.reconcile(code, Trigger.SCHEDULED));
  }

  /** For tests: who leads, which channels there are, and what reconciling one does. */
  ReconciliationSchedule(
      Supplier<Boolean> leading,
      Supplier<Uni<List<String>>> channels,
      Function<String, Uni<?>> reconcile) {
    this.leading = leading;
    this.channels = channels;
    this.reconcile = reconcile;
  }

  @Scheduled(
      every = "${onhand.channel-sync.reconciliation.interval:PT10M}",
      delayed = "${onhand.channel-sync.reconciliation.interval:PT10M}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> scheduled() {
    return reconcileAll().replaceWithVoid();
  }

  /** One scheduled round: the channels reconciled (none unless this replica leads). */
  Uni<Integer> reconcileAll() {
    if (!leading.get()) {
      return Uni.createFrom().item(0); // another replica reconciles
    }
    return channels
        .get()
        .chain(
            codes -> {
              Uni<Integer> chain = Uni.createFrom().item(0);
              for (String code : codes) {
                chain =
                    chain.chain(
                        done -> {
                          // leadership may have moved during a long round: stop at the next channel
                          if (!leading.get()) {
                            return Uni.createFrom().item(done);
                          }
                          return reconcile
                              .apply(code)
                              .onFailure()
                              .invoke(
                                  e ->
                                      LOG.warnf(
                                          "scheduled reconciliation of %s failed: %s", code, e))
                              .onFailure()
                              .recoverWithNull()
                              .replaceWith(done + 1);
                        });
              }
              return chain;
            });
  }
}
