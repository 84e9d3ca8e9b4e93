package dev.onhand.stock.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * The states a unit can be in at a location, each with its own balance. All but {@code incoming}
 * are physical and sum to onHand.
 */
public enum Bucket {
  AVAILABLE("available", "available", true),
  COMMITTED("committed", "committed", true),
  RESERVED("reserved", "reserved", true),
  SAFETY_STOCK("safetyStock", "safety_stock", true),
  QUALITY_CONTROL("qualityControl", "quality_control", true),
  DAMAGED("damaged", "damaged", true),
  INCOMING("incoming", "incoming", false);

  private final String code;
  private final String column;
  private final boolean physical;

  Bucket(String code, String column, boolean physical) {
    this.code = code;
    this.column = column;
    this.physical = physical;
  }

  @JsonValue
  public String code() {
    return code;
  }

  public String column() {
    return column;
  }

  public boolean physical() {
    return physical;
  }

  /** Committed units belong to reservations: only reservations and shipments move them. */
  public boolean adjustable() {
    return this != COMMITTED;
  }

  @JsonCreator
  public static Bucket fromCode(String code) {
    return Arrays.stream(values())
        .filter(b -> b.code.equals(code))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown state " + code));
  }

  @Override
  public String toString() {
    return code;
  }
}
