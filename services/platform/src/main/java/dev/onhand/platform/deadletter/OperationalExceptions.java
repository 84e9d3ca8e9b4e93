package dev.onhand.platform.deadletter;

import dev.onhand.platform.messaging.OperationalException;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;

/**
 * Where a service's operational exceptions go, in the caller's transaction: by default published as
 * {@code <service>.exception.raised} for stock's register ({@link PublishedOperationalExceptions});
 * stock, which keeps the register, records them straight into it instead.
 */
public interface OperationalExceptions {
  Uni<Void> raise(UnitOfWork unit, OperationalException exception);
}
