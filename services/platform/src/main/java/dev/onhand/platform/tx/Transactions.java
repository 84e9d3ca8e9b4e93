package dev.onhand.platform.tx;

import dev.onhand.platform.outbox.Outbox;
import dev.onhand.platform.outbox.OutboxRelay;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Runs work in one transaction, writes the messages it published to the outbox, then commits. A
 * transaction the database aborted to break a deadlock or a serialization conflict is run again
 * from the start (a few times, after a short random pause): nothing of the aborted attempt was
 * kept, its messages included.
 */
@ApplicationScoped
public class Transactions {
  private final Pool pool;
  private final Outbox outbox;
  private final OutboxRelay relay;

  public Transactions(Pool pool, Outbox outbox, OutboxRelay relay) {
    this.pool = pool;
    this.outbox = outbox;
    this.relay = relay;
  }

  private static final int ATTEMPTS = 4;

  public <T> Uni<T> run(Function<UnitOfWork, Uni<T>> work) {
    return once(work)
        .onFailure(Transactions::retryable)
        .retry()
        .withBackOff(Duration.ofMillis(5), Duration.ofMillis(100))
        .withJitter(0.5)
        .atMost(ATTEMPTS - 1);
  }

  /** Deadlock detected, or a serialization failure: the database rolled the attempt back. */
  static boolean retryable(Throwable failure) {
    return failure instanceof PgException pg
        && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState()));
  }

  private <T> Uni<T> once(Function<UnitOfWork, Uni<T>> work) {
    AtomicBoolean published = new AtomicBoolean();
    return pool.withTransaction(
            connection -> {
              UnitOfWork unit = new UnitOfWork(connection);
              return work.apply(unit)
                  .call(
                      ignored -> {
                        var messages = unit.messages();
                        published.set(!messages.isEmpty());
                        return outbox.append(connection, messages);
                      });
            })
        .invoke(
            ignored -> {
              // committed: the relay may publish now instead of at its next poll
              if (published.get()) {
                relay.wakeUp();
              }
            });
  }
}
