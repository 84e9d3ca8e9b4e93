package dev.onhand.platform.inbox;

/**
 * A message that can never be applied (unreadable, or against its contract): retrying is useless,
 * so it goes to the dead-letter queue at once.
 */
public class PermanentMessageFailure extends RuntimeException {
  public PermanentMessageFailure(String message) {
    super(message);
  }

  public PermanentMessageFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
