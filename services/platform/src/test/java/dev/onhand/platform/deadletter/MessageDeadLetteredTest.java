package dev.onhand.platform.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.platform.messaging.OperationalException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The exception a dead-lettered message raises: one per (consumer, message), within the schema. */
class MessageDeadLetteredTest {
  private static final OffsetDateTime NOW =
      OffsetDateTime.of(2025, 3, 1, 9, 0, 0, 0, ZoneOffset.UTC);

  @Test
  void theSameMessageOfTheSameConsumerIsOneExceptionAndAnyOtherIsAnother() {
    OperationalException first =
        MessageDeadLettered.of(
            "stock.receiving-movements", "m-1", "receiving.movement.requested", fault("x"), NOW);
    OperationalException again =
        MessageDeadLettered.of(
            "stock.receiving-movements",
            "m-1",
            "receiving.movement.requested",
            fault("y"),
            NOW.plusHours(1));

    assertThat(again.exceptionId()).isEqualTo(first.exceptionId());
    assertThat(MessageDeadLettered.exceptionId("stock.returns-movements", "m-1"))
        .isNotEqualTo(first.exceptionId());
    assertThat(MessageDeadLettered.exceptionId("stock.receiving-movements", "m-2"))
        .isNotEqualTo(first.exceptionId());
    assertThat(first.kind()).isEqualTo("MESSAGE_DEAD_LETTERED");
    assertThat(first.severity()).isEqualTo("HIGH");
    assertThat(first.reference()).isEqualTo("message:m-1");
    assertThat(first.references()).containsExactly("queue:stock.receiving-movements");
    assertThat(first.detail())
        .isEqualTo(
            "stock.receiving-movements could not apply receiving.movement.requested:"
                + " java.lang.IllegalStateException: x");
    assertThat(first.occurredAt()).isEqualTo(NOW);
  }

  @Test
  void longIdsAndErrorsAreCutToTheContractsLimitsAndAnUnreadableMessageIsNamedSo() {
    OperationalException e =
        MessageDeadLettered.of("c", "m".repeat(500), null, fault("e".repeat(5000)), NOW);

    assertThat(e.reference()).hasSize(MessageDeadLettered.MAX_REFERENCE).startsWith("message:mmm");
    assertThat(e.detail())
        .hasSize(MessageDeadLettered.MAX_DETAIL)
        .startsWith("c could not apply an unreadable message: ")
        .endsWith("…");
  }

  private static Throwable fault(String message) {
    return new IllegalStateException(message);
  }
}
