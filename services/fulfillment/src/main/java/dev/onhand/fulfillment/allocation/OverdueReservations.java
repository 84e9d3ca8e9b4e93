package dev.onhand.fulfillment.allocation;

import dev.onhand.platform.messaging.OperationalException;
import dev.onhand.platform.messaging.StockMovements;
import dev.onhand.platform.tx.Transactions;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The timeout of a reservation request: one stock has not answered within {@code
 * onhand.fulfillment.reservation-timeout} is reported once as a TIMING_DELAY exception. It is not
 * sent again: the request and its answer travel through durable queues with at-least-once delivery,
 * so a late answer still settles the allocation; the report makes the delay visible (stock down,
 * its queue backed up) instead of leaving an order silently RECEIVED.
 */
@ApplicationScoped
public class OverdueReservations {
  private static final Logger LOG = Logger.getLogger(OverdueReservations.class);

  private final Transactions transactions;
  private final StockMovements events;
  private final Duration timeout;

  public OverdueReservations(
      Transactions transactions,
      StockMovements events,
      @ConfigProperty(name = "onhand.fulfillment.reservation-timeout", defaultValue = "PT30S")
          Duration timeout) {
    this.transactions = transactions;
    this.events = events;
    this.timeout = timeout;
  }

  @Scheduled(
      every = "${onhand.fulfillment.reservation-timeout-check:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> reportOverdue() {
    return transactions
        .run(
            unit ->
                unit.sql()
                    .preparedQuery(
                        "UPDATE allocation SET overdue_reported_at = now() WHERE id IN (SELECT id"
                            + " FROM allocation WHERE status = 'REQUESTED' AND overdue_reported_at"
                            + " IS NULL AND created_at < now() - make_interval(secs => $1) LIMIT"
                            + " 100 FOR UPDATE SKIP LOCKED) RETURNING id, order_id, location,"
                            + " created_at")
                    .execute(Tuple.of((double) timeout.toSeconds()))
                    .invoke(
                        rows ->
                            rows.forEach(
                                row -> {
                                  UUID allocation = row.getUUID("id");
                                  String reference =
                                      Allocator.ORDER_REFERENCE + row.getUUID("order_id");
                                  events.raise(
                                      unit,
                                      new OperationalException(
                                          UUID.randomUUID(),
                                          "TIMING_DELAY",
                                          "HIGH",
                                          reference,
                                          OffsetDateTime.now(),
                                          null,
                                          row.getString("location"),
                                          null,
                                          null,
                                          List.of("allocation:" + allocation),
                                          "Stock has not answered the reservation request of"
                                              + " allocation "
                                              + allocation
                                              + " since "
                                              + row.getOffsetDateTime("created_at")
                                              + "."));
                                }))
                    .replaceWithVoid())
        .onFailure()
        .invoke(e -> LOG.warnf("Overdue reservation check failed, will retry: %s", e.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }
}
