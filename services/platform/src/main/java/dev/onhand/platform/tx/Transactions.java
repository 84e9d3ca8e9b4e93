package dev.onhand.platform.tx;

import dev.onhand.platform.outbox.Outbox;
import dev.onhand.platform.outbox.OutboxRelay;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** Runs work in one transaction, writes the messages it published to the outbox, then commits. */
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

  public <T> Uni<T> run(Function<UnitOfWork, Uni<T>> work) {
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
