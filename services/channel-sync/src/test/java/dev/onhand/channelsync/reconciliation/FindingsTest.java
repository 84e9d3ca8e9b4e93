package dev.onhand.channelsync.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.channelsync.reconciliation.Findings.Known;
import dev.onhand.channelsync.reconciliation.Reconciliation.State;
import org.junit.jupiter.api.Test;

class FindingsTest {
  // applied: version 3 of 7 units is what the channel last applied
  private static final Known APPLIED = new Known("SKU-1", "L-1", 7L, 3, 3, 7L, false);

  @Test
  void theChannelShowingWhatItLastAppliedMatches() {
    assertThat(Findings.classify(true, APPLIED, APPLIED, 7L)).isEqualTo(State.MATCH);
  }

  @Test
  void anotherNumberWithNoPushInFlightIsDrift() {
    assertThat(Findings.classify(true, APPLIED, APPLIED, 2L)).isEqualTo(State.DRIFT);
  }

  @Test
  void aNewerVersionWaitingIsInFlightNotDrift() {
    Known pending = new Known("SKU-1", "L-1", 4L, 4, 3, 7L, false);
    assertThat(Findings.classify(true, pending, pending, 4L)).isEqualTo(State.IN_FLIGHT);
  }

  @Test
  void aPushAppliedWhileTheChannelWasReadIsInFlight() {
    Known after = new Known("SKU-1", "L-1", 4L, 4, 4, 4L, false);
    assertThat(Findings.classify(true, APPLIED, after, 7L)).isEqualTo(State.IN_FLIGHT);
  }

  @Test
  void aListingTheChannelDoesNotKnowIsMissing() {
    assertThat(Findings.classify(true, APPLIED, APPLIED, null)).isEqualTo(State.MISSING);
  }

  @Test
  void aChannelThatCannotBeReadIsUnreadable() {
    assertThat(Findings.classify(false, APPLIED, APPLIED, null)).isEqualTo(State.UNREADABLE);
  }

  @Test
  void aDeadLetterIsComparedWithWhatWasLastApplied() {
    Known dead = new Known("SKU-1", "L-1", 9L, 4, 3, 7L, true);
    assertThat(Findings.classify(true, dead, dead, 7L)).isEqualTo(State.MATCH);
    assertThat(Findings.classify(true, dead, dead, 9L)).isEqualTo(State.DRIFT);
  }
}
