package dev.onhand.platform.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.platform.tx.UnitOfWork;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What a service asks of stock and tells stock's exception register, as {@code
 * <service>.movement.requested} (inventory-movement.v1.json) and {@code <service>.exception.raised}
 * (operational-exception.v1.json), through the outbox of the caller's unit of work.
 */
@ApplicationScoped
public class StockMovements {
  private final ObjectMapper mapper;
  private final String service;

  public StockMovements(
      ObjectMapper mapper, @ConfigProperty(name = "onhand.service") String service) {
    this.mapper = mapper;
    this.service = service;
  }

  /** One bucket change; {@code reason} (optional) overrides the movement's. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Line(String sku, String location, String state, long delta, String reason) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Movement(
      UUID movementId,
      String reason,
      String reference,
      OffsetDateTime occurredAt,
      List<Line> lines) {}

  /**
   * Asks stock to apply the lines all together or none; lines of 0 are left out and nothing is sent
   * when none remain. The movement id is stock's deduplication key.
   */
  public void request(
      UnitOfWork unit,
      UUID movementId,
      String reason,
      String reference,
      OffsetDateTime occurredAt,
      List<Line> lines) {
    List<Line> nonZero = lines.stream().filter(l -> l.delta() != 0).toList();
    if (nonZero.isEmpty()) {
      return;
    }
    unit.publish(
        Envelope.create(
            service + ".movement.requested",
            "onhand/" + service,
            reference,
            null,
            null,
            mapper.valueToTree(new Movement(movementId, reason, reference, occurredAt, nonZero))),
        reference);
  }

  /** Raises an exception for stock's register. */
  public void raise(UnitOfWork unit, OperationalException exception) {
    unit.publish(
        Envelope.create(
            service + ".exception.raised",
            "onhand/" + service,
            exception.reference(),
            null,
            null,
            mapper.valueToTree(exception)),
        exception.reference());
  }
}
