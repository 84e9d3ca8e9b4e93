package dev.onhand.stock.reservation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where released units go: back to available (a cancellation), or out of stock altogether because
 * they could not be found at their location (a short pick: ledger reason {@code lost}).
 */
public enum Disposition {
  AVAILABLE,
  LOST;

  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Disposition fromCode(String code) {
    return Arrays.stream(values())
        .filter(d -> d.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown disposition " + code));
  }

  @Override
  public String toString() {
    return code();
  }
}
