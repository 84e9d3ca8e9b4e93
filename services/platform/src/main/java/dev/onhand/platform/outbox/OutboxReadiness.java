package dev.onhand.platform.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the outbox relay can reach the broker; what it cannot publish waits in the outbox.
 */
@Readiness
@ApplicationScoped
public class OutboxReadiness implements HealthCheck {
  private final OutboxRelay relay;

  public OutboxReadiness(OutboxRelay relay) {
    this.relay = relay;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("outbox relay")
        .status(relay.connected())
        .withData("pending", relay.backlog())
        .build();
  }
}
