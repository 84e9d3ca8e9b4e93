package dev.onhand.stock.messaging;

/**
 * The messages stock publishes to its exchange ({@code onhand.stock}); the type is the routing key.
 * Their schemas are in {@code contracts/schemas/<type>.v1.json}.
 */
public final class StockEvents {
  public static final String SOURCE = "onhand/stock";

  public static final String INVENTORY_CHANGED = "stock.inventory.changed";
  public static final String LEVEL_CROSSED = "stock.level.crossed";
  public static final String RESERVATION_CONFIRMED = "stock.reservation.confirmed";
  public static final String RESERVATION_REJECTED = "stock.reservation.rejected";
  public static final String RESERVATION_RELEASED = "stock.reservation.released";
  public static final String RESERVATION_EXPIRED = "stock.reservation.expired";
  public static final String SHIPMENT_APPLIED = "stock.shipment.applied";
  public static final String REQUEST_REJECTED = "stock.request.rejected";
  public static final String LOCATION_CHANGED = "stock.location.changed";
  public static final String ITEM_CHANGED = "stock.item.changed";

  private StockEvents() {}
}
