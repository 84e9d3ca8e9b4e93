package dev.onhand.returns.authorization;

/**
 * AUTHORIZED until units arrive, PARTIALLY_RECEIVED while some authorised units are still to come,
 * RECEIVED when all have; CLOSED when its authorisation expired unused. A return that arrived
 * without an authorisation is RECEIVED at once.
 */
public enum ReturnStatus {
  AUTHORIZED,
  PARTIALLY_RECEIVED,
  RECEIVED,
  CLOSED;

  boolean acceptsReceipts() {
    return this == AUTHORIZED || this == PARTIALLY_RECEIVED;
  }
}
