package dev.onhand.receiving.purchaseorder;

/**
 * OPEN until the first receipt, PARTIALLY_RECEIVED while a line still waits, RECEIVED when every
 * line has arrived in full; CLOSED (what has not come is no longer expected) and CANCELLED (before
 * anything arrived) take no more receipts.
 */
public enum PurchaseOrderStatus {
  OPEN,
  PARTIALLY_RECEIVED,
  RECEIVED,
  CLOSED,
  CANCELLED;

  public boolean acceptsReceipts() {
    return this != CLOSED && this != CANCELLED;
  }
}
