package dev.onhand.stock.reservation;

/** ACTIVE holds units in committed; the others are closed: shipped, released or expired. */
public enum ReservationStatus {
  ACTIVE,
  FULFILLED,
  RELEASED,
  EXPIRED
}
