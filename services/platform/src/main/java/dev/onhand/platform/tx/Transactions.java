package dev.onhand.platform.tx;

import dev.onhand.platform.outbox.Outbox;
import dev.onhand.platform.outbox.OutboxRelay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.TransactionRollbackException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs work in one transaction, writes the messages it published to the outbox, then commits. A
 * transaction the database aborted to break a deadlock or a serialization conflict is run again
 * from the start (a few times, after a short random pause): nothing of the aborted attempt was
 * kept, its messages included. So is one whose work found that something it read without a lock had
 * changed before it wrote ({@link StaleRead}).
 */
@ApplicationScoped
public class Transactions {
  private final Pool pool;
  private final Outbox outbox;
  private final OutboxRelay relay;
  private final Counter retriedDeadlock;
  private final Counter retriedSerialization;
  private final Counter retriedStaleRead;

  public Transactions(Pool pool, Outbox outbox, OutboxRelay relay, MeterRegistry registry) {
    this.pool = pool;
    this.outbox = outbox;
    this.relay = relay;
    // how often work is run again, by cause: a steady rise means contention worth a look
    this.retriedDeadlock = retried(registry, "deadlock");
    this.retriedSerialization = retried(registry, "serialization");
    this.retriedStaleRead = retried(registry, "stale_read");
  }

  private static Counter retried(MeterRegistry registry, String cause) {
    return Counter.builder("onhand.transactions.retried")
        .description("Transaction attempts rolled back for a cause that runs them again, by cause")
        .tag("cause", cause)
        .register(registry);
  }

  private static final int ATTEMPTS = 4;

  public <T> Uni<T> run(Function<UnitOfWork, Uni<T>> work) {
    AtomicInteger attempts = new AtomicInteger();
    return once(work, attempts)
        .onFailure(Transactions::retryable)
        .invoke(this::countRetry)
        .onFailure(Transactions::retryable)
        .retry()
        .withBackOff(Duration.ofMillis(5), Duration.ofMillis(100))
        .withJitter(0.5)
        .atMost(ATTEMPTS - 1);
  }

  /**
   * Deadlock detected, or a serialization failure: the database rolled the attempt back; or the
   * work found a read of its own stale.
   */
  static boolean retryable(Throwable failure) {
    return failure instanceof StaleRead
        || failure instanceof PgException pg
            && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState()));
  }

  private void countRetry(Throwable failure) {
    if (failure instanceof StaleRead) {
      retriedStaleRead.increment();
    } else if (failure instanceof PgException pg && "40P01".equals(pg.getSqlState())) {
      retriedDeadlock.increment();
    } else {
      retriedSerialization.increment();
    }
  }

  private <T> Uni<T> once(Function<UnitOfWork, Uni<T>> work, AtomicInteger attempts) {
    AtomicBoolean published = new AtomicBoolean();
    return pool.withConnection(
            connection -> {
              // BEGIN is not waited for: the work's first statement travels with it (the
              // connection runs statements in order, and the transaction counts each one)
              Future<Transaction> transaction = connection.getDelegate().begin();
              UnitOfWork unit = new UnitOfWork(connection, attempts.incrementAndGet());
              // deferred: work that throws instead of failing its Uni still ends the transaction
              // and gives the connection back (the pool closes it only when the Uni completes)
              return Uni.createFrom()
                  .deferred(() -> work.apply(unit))
                  .call(unit::runLastSteps)
                  .call(
                      ignored -> {
                        var messages = unit.messages();
                        published.set(!messages.isEmpty());
                        outbox.append(unit, messages);
                        // COMMIT goes out the moment the last sent write is answered, or ROLLBACK
                        // if any statement failed (commit then fails)
                        return Uni.createFrom()
                            .completionStage(
                                transaction.compose(Transaction::commit).toCompletionStage());
                      })
                  .invoke(unit::committed)
                  .onFailure()
                  .call(failure -> rollback(transaction, failure))
                  .onFailure()
                  .transform(unit::cause);
            })
        .invoke(
            ignored -> {
              // committed: the relay may publish now instead of at its next poll
              if (published.get()) {
                relay.wakeUp();
              }
            });
  }

  /** Ends a transaction whose work failed; one that already ended rolled back on its own. */
  private static Uni<Void> rollback(Future<Transaction> transaction, Throwable failure) {
    if (failure instanceof TransactionRollbackException) {
      return Uni.createFrom().voidItem();
    }
    return Uni.createFrom()
        .completionStage(transaction.compose(Transaction::rollback).toCompletionStage())
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }
}
