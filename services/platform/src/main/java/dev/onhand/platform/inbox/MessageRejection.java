package dev.onhand.platform.inbox;

import dev.onhand.platform.messaging.Envelope;

/**
 * A message a business rule refuses (e.g. shipping more than was reserved). Whatever its handler
 * wrote is rolled back; the inbox then records the message as processed and publishes {@code reply}
 * in a fresh transaction, so the sender learns of the refusal once and the message is not retried.
 */
public class MessageRejection extends RuntimeException {
  private final Envelope reply;
  private final String aggregate;

  public MessageRejection(Envelope reply, String aggregate, Throwable cause) {
    super("message refused: " + cause.getMessage(), cause, false, false);
    this.reply = reply;
    this.aggregate = aggregate;
  }

  public Envelope reply() {
    return reply;
  }

  public String aggregate() {
    return aggregate;
  }
}
