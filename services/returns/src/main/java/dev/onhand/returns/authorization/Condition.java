package dev.onhand.returns.authorization;

/** How a returned unit arrived, and so which bucket of stock it goes to. */
public enum Condition {
  SELLABLE("available", "returned_restock"),
  NEEDS_INSPECTION("qualityControl", "quality_control"),
  DAMAGED("damaged", "returned_damaged"),
  DEFECTIVE("damaged", "returned_damaged"),
  /** Announced but not in the parcel: nothing moves, an exception is raised. */
  MISSING(null, null);

  final String state;
  final String reason;

  Condition(String state, String reason) {
    this.state = state;
    this.reason = reason;
  }
}
