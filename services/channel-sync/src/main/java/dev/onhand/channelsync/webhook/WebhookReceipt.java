package dev.onhand.channelsync.webhook;

/**
 * The answer to an accepted webhook delivery (verified, inside its window): {@code messageId} is
 * the id of the message published, for PUBLISHED only. Not an OpenAPI schema: the webhook endpoints
 * are not part of the API-key API's document.
 */
public record WebhookReceipt(Outcome outcome, String channelOrderId, String messageId) {

  public enum Outcome {
    /** Passed on to fulfillment. */
    PUBLISHED,
    /** This delivery id was accepted before. */
    DUPLICATE,
    /** This order (or this cancellation) was passed on before, under another delivery id. */
    DUPLICATE_ORDER,
    /** Nothing to fulfil: another topic, or an order without a line with a SKU. */
    IGNORED
  }
}
