package dev.onhand.platform.deadletter;

import dev.onhand.platform.messaging.OperationalException;
import dev.onhand.platform.messaging.StockMovements;
import dev.onhand.platform.tx.UnitOfWork;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Every service but stock: the exception travels to stock's register through the outbox. */
@DefaultBean
@ApplicationScoped
public class PublishedOperationalExceptions implements OperationalExceptions {
  private final StockMovements stock;

  public PublishedOperationalExceptions(StockMovements stock) {
    this.stock = stock;
  }

  @Override
  public Uni<Void> raise(UnitOfWork unit, OperationalException exception) {
    stock.raise(unit, exception);
    return Uni.createFrom().voidItem();
  }
}
