package dev.onhand.platform.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the outbox relay: whether it reaches the broker and how many messages wait. While the
 * broker is away the service stays ready (its writes wait in the outbox and leave when the broker
 * is back) until the backlog passes {@code onhand.outbox.max-backlog}: then it stops taking traffic
 * rather than let the outbox grow without bound.
 */
@Readiness
@ApplicationScoped
public class OutboxReadiness implements HealthCheck {
  private final OutboxRelay relay;
  private final long maxBacklog;

  public OutboxReadiness(
      OutboxRelay relay,
      @ConfigProperty(name = "onhand.outbox.max-backlog", defaultValue = "100000")
          long maxBacklog) {
    this.relay = relay;
    this.maxBacklog = maxBacklog;
  }

  @Override
  public HealthCheckResponse call() {
    long pending = relay.backlog();
    return HealthCheckResponse.named("outbox relay")
        .status(pending <= maxBacklog)
        .withData("brokerConnected", relay.connected())
        .withData("pending", pending)
        .withData("maxBacklog", maxBacklog)
        .build();
  }
}
