package dev.onhand.channelsync.reconciliation;

import dev.onhand.channelsync.reconciliation.Reconciliation.State;
import java.util.Objects;

/** How one listing's channel quantity compares with what channel-sync knows of it. */
final class Findings {
  private Findings() {}

  /**
   * What channel-sync holds of one listing at one moment.
   *
   * @param quantity the sellable quantity as last computed (null: none computed yet)
   * @param version its version
   * @param sentVersion the newest version the channel applied
   * @param sentQuantity the quantity the channel last applied (null: none yet)
   * @param deadLettered pushes stopped until an operator replays them
   */
  record Known(
      String sku,
      String listingId,
      Long quantity,
      long version,
      long sentVersion,
      Long sentQuantity,
      boolean deadLettered) {

    boolean pushPending() {
      return version > sentVersion && !deadLettered;
    }

    /** Whether a push was computed or applied between the two readings. */
    boolean movedSince(Known earlier) {
      return version != earlier.version || sentVersion != earlier.sentVersion;
    }
  }

  /**
   * Classifies a listing from what channel-sync knew before and after the channel was read.
   *
   * <ul>
   *   <li>UNREADABLE: the channel cannot be read back (a generic webhook).
   *   <li>IN_FLIGHT: a newer quantity is on its way, or a push went out while the channel was being
   *       read: the channel may rightly show either, so it is not drift.
   *   <li>MISSING: the channel does not know the listing id.
   *   <li>MATCH / DRIFT: the channel shows / does not show the quantity it last applied.
   * </ul>
   */
  static State classify(boolean readable, Known before, Known after, Long channelQuantity) {
    if (!readable) {
      return State.UNREADABLE;
    }
    if (before.pushPending() || after.pushPending() || after.movedSince(before)) {
      return State.IN_FLIGHT;
    }
    if (channelQuantity == null) {
      return State.MISSING;
    }
    return Objects.equals(channelQuantity, expected(after)) ? State.MATCH : State.DRIFT;
  }

  /** What the channel should show: what it last applied, else (never applied) the computed one. */
  static Long expected(Known known) {
    return known.sentQuantity() != null ? known.sentQuantity() : known.quantity();
  }
}
