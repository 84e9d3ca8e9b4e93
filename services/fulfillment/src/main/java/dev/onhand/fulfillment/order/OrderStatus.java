package dev.onhand.fulfillment.order;

import java.util.List;

/**
 * RECEIVED while stock is being asked; then ALLOCATED (every open unit reserved), BACKORDERED
 * (none), PARTIALLY_ALLOCATED; PARTIALLY_SHIPPED and SHIPPED as units leave; CANCELLED when every
 * unit not shipped was cancelled.
 */
public enum OrderStatus {
  RECEIVED,
  ALLOCATED,
  PARTIALLY_ALLOCATED,
  BACKORDERED,
  PARTIALLY_SHIPPED,
  SHIPPED,
  CANCELLED;

  public boolean closed() {
    return this == SHIPPED || this == CANCELLED;
  }

  /** The status the lines' quantities imply. */
  public static OrderStatus of(List<Order.Line> lines) {
    long quantity = 0, pending = 0, allocated = 0, shipped = 0, cancelled = 0, backordered = 0;
    for (Order.Line l : lines) {
      quantity += l.quantity();
      pending += l.pending();
      allocated += l.allocated();
      shipped += l.shipped();
      cancelled += l.cancelled();
      backordered += l.backordered();
    }
    if (cancelled == quantity) {
      return CANCELLED;
    }
    if (shipped > 0) {
      return shipped + cancelled == quantity ? SHIPPED : PARTIALLY_SHIPPED;
    }
    if (pending + allocated + backordered == 0) {
      return CANCELLED;
    }
    if (pending > 0) {
      return RECEIVED;
    }
    if (backordered == 0) {
      return ALLOCATED;
    }
    return allocated == 0 ? BACKORDERED : PARTIALLY_ALLOCATED;
  }
}
