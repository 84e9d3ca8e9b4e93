package dev.onhand.receiving.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onhand.platform.messaging.Envelope;
import dev.onhand.platform.messaging.OperationalException;
import dev.onhand.platform.tx.UnitOfWork;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The messages receiving publishes to its exchange ({@code onhand.receiving}); the type is the
 * routing key. Their schemas are {@code contracts/schemas/<type>.v1.json}.
 */
@ApplicationScoped
public class ReceivingEvents {
  public static final String SOURCE = "onhand/receiving";
  public static final String MOVEMENT_REQUESTED = "receiving.movement.requested";
  public static final String EXCEPTION_RAISED = "receiving.exception.raised";

  private final ObjectMapper mapper;

  public ReceivingEvents(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** One bucket change stock is asked to make; {@code reason} overrides the movement's. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MovementLine(
      String sku, String location, String state, long delta, String reason) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Movement(
      UUID movementId,
      String reason,
      String reference,
      OffsetDateTime occurredAt,
      List<MovementLine> lines) {}

  /**
   * Asks stock to apply a movement, in the caller's transaction (through the outbox). The movement
   * id is stock's deduplication key: a movement sent twice is applied once.
   */
  public void requestMovement(
      UnitOfWork unit,
      UUID movementId,
      String reason,
      String reference,
      OffsetDateTime occurredAt,
      List<MovementLine> lines) {
    List<MovementLine> nonZero = lines.stream().filter(l -> l.delta() != 0).toList();
    if (nonZero.isEmpty()) {
      return;
    }
    unit.publish(
        Envelope.create(
            MOVEMENT_REQUESTED,
            SOURCE,
            reference,
            null,
            null,
            mapper.valueToTree(new Movement(movementId, reason, reference, occurredAt, nonZero))),
        reference);
  }

  public void raise(UnitOfWork unit, OperationalException discrepancy) {
    unit.publish(
        Envelope.create(
            EXCEPTION_RAISED,
            SOURCE,
            discrepancy.reference(),
            null,
            null,
            mapper.valueToTree(discrepancy)),
        discrepancy.reference());
  }
}
