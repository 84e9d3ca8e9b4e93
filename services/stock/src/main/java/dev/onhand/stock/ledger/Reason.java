package dev.onhand.stock.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** Why a bucket changed; every ledger entry carries one. */
public enum Reason {
  RECEIVED,
  SHIPPED,
  RETURNED_RESTOCK,
  RETURNED_DAMAGED,
  RESERVATION,
  RESERVATION_RELEASE,
  RESERVATION_EXPIRED,
  TRANSFER_OUT,
  TRANSFER_IN,
  CYCLE_COUNT,
  CORRECTION,
  DAMAGED,
  LOST,
  FOUND,
  MISPICK,
  SHRINKAGE,
  RECONCILIATION,
  QUALITY_CONTROL,
  WRITE_OFF,
  PURCHASE_ORDER,
  PURCHASE_ORDER_CLOSED,
  RETURN_TO_VENDOR;

  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reasons an integrator may post directly. Reservation reasons belong to the reservation API and
   * transfer reasons to transfers, so their ledger entries always match a document.
   */
  public boolean postableDirectly() {
    return switch (this) {
      case RESERVATION, RESERVATION_RELEASE, RESERVATION_EXPIRED, TRANSFER_OUT, TRANSFER_IN ->
          false;
      default -> true;
    };
  }

  @JsonCreator
  public static Reason fromCode(String code) {
    return Arrays.stream(values())
        .filter(r -> r.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown reason " + code));
  }

  @Override
  public String toString() {
    return code();
  }
}
