package dev.onhand.returns.authorization;

/** What inspection decides for units in quality control. */
public enum Outcome {
  RESTOCK("available", "returned_restock"),
  DAMAGED("damaged", "returned_damaged"),
  /** The units leave stock. */
  WRITE_OFF(null, "write_off"),
  /** The units leave stock, back to the supplier. */
  RETURN_TO_VENDOR(null, "return_to_vendor");

  final String state;
  final String reason;

  Outcome(String state, String reason) {
    this.state = state;
    this.reason = reason;
  }
}
