package dev.onhand.platform.deadletter;

import dev.onhand.platform.messaging.OperationalException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The operational exception raised when the inbox dead-letters a message. Its id derives from the
 * consumer and the message id, so a message dead-lettered again (after a replay, or delivered
 * twice) stays one entry in the register.
 */
public final class MessageDeadLettered {
  public static final String KIND = "MESSAGE_DEAD_LETTERED";

  // the limits of operational-exception.v1.json
  static final int MAX_REFERENCE = 200;
  static final int MAX_DETAIL = 1000;

  private MessageDeadLettered() {}

  public static OperationalException of(
      String consumer, String messageId, String type, Throwable failure, OffsetDateTime at) {
    String detail =
        consumer
            + " could not apply "
            + (type == null ? "an unreadable message" : type)
            + ": "
            + failure;
    return new OperationalException(
        exceptionId(consumer, messageId),
        KIND,
        "HIGH",
        truncate("message:" + messageId, MAX_REFERENCE),
        at,
        null,
        null,
        null,
        null,
        List.of(truncate("queue:" + consumer, MAX_REFERENCE)),
        truncate(detail, MAX_DETAIL));
  }

  public static UUID exceptionId(String consumer, String messageId) {
    return UUID.nameUUIDFromBytes(
        ("dead-letter\n" + consumer + "\n" + messageId).getBytes(StandardCharsets.UTF_8));
  }

  static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
