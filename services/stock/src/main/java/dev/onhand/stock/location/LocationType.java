package dev.onhand.stock.location;

/** What kind of place holds the stock. */
public enum LocationType {
  WAREHOUSE,
  THIRD_PARTY,
  MARKETPLACE,
  STORE
}
