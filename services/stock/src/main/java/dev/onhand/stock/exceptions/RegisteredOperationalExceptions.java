package dev.onhand.stock.exceptions;

import dev.onhand.platform.deadletter.OperationalExceptions;
import dev.onhand.platform.messaging.OperationalException;
import dev.onhand.platform.tx.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Stock keeps the register and consumes no exceptions of its own, so its exceptions (e.g. a message
 * its inbox dead-lettered) are recorded straight into the register in the raising transaction. It
 * takes the place of the platform's default, which publishes them.
 */
@ApplicationScoped
public class RegisteredOperationalExceptions implements OperationalExceptions {
  private final ExceptionRegister register;
  private final String source;

  public RegisteredOperationalExceptions(
      ExceptionRegister register, @ConfigProperty(name = "onhand.service") String service) {
    this.register = register;
    this.source = "onhand/" + service;
  }

  @Override
  public Uni<Void> raise(UnitOfWork unit, OperationalException exception) {
    return register.record(unit.sql(), source, exception);
  }
}
