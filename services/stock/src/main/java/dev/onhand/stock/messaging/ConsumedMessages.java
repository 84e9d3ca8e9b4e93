package dev.onhand.stock.messaging;

/** The messages stock consumes, by type (= routing key), with their source exchanges. */
public final class ConsumedMessages {
  /** From {@code onhand.fulfillment}. */
  public static final String RESERVATION_REQUESTED = "fulfillment.reservation.requested";

  public static final String RELEASE_REQUESTED = "fulfillment.reservation.release-requested";
  public static final String SHIPMENT_RECORDED = "fulfillment.shipment.recorded";

  /** An inventory movement fulfillment causes (e.g. a mispick), read like the two below. */
  public static final String FULFILLMENT_MOVEMENT = "fulfillment.movement.requested";

  /** From {@code onhand.receiving} and {@code onhand.returns}. */
  public static final String RECEIVING_MOVEMENT = "receiving.movement.requested";

  public static final String RETURNS_MOVEMENT = "returns.movement.requested";

  private ConsumedMessages() {}
}
