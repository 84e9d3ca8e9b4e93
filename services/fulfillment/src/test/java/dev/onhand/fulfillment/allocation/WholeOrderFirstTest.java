package dev.onhand.fulfillment.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onhand.fulfillment.allocation.AllocationStrategy.Need;
import dev.onhand.fulfillment.allocation.AllocationStrategy.Supply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default allocation rules alone. */
class WholeOrderFirstTest {
  private final WholeOrderFirst strategy = new WholeOrderFirst();

  @Test
  void oneLocationThatFillsTheWholeOrderWinsOverABetterRankedOneThatWouldSplitIt() {
    var plan =
        strategy.allocate(
            List.of(new Need("A", 2), new Need("B", 2)),
            new Supply(
                List.of("HIGH", "LOW"), Map.of("A@HIGH", 5L, "A@LOW", 2L, "B@LOW", 2L), true));
    assertThat(plan.byLocation()).isEqualTo(Map.of("LOW", Map.of("A", 2L, "B", 2L)));
  }

  @Test
  void otherwiseEachLineWholeFromTheBestRankedLocationThatHasIt() {
    var plan =
        strategy.allocate(
            List.of(new Need("A", 2), new Need("B", 2)),
            new Supply(
                List.of("HIGH", "LOW"), Map.of("A@HIGH", 5L, "A@LOW", 1L, "B@LOW", 2L), true));
    assertThat(plan.byLocation())
        .isEqualTo(Map.of("HIGH", Map.of("A", 2L), "LOW", Map.of("B", 2L)));
  }

  @Test
  void aLineIsSplitInRankOrderOnlyWhenAllowedAndTheRestIsBackordered() {
    Map<String, Long> free = Map.of("A@ONE", 3L, "A@TWO", 1L);
    assertThat(
            strategy
                .allocate(List.of(new Need("A", 6)), new Supply(List.of("ONE", "TWO"), free, true))
                .byLocation())
        .isEqualTo(Map.of("ONE", Map.of("A", 3L), "TWO", Map.of("A", 1L)));
    assertThat(
            strategy
                .allocate(List.of(new Need("A", 6)), new Supply(List.of("TWO", "ONE"), free, false))
                .byLocation())
        .isEqualTo(Map.of("TWO", Map.of("A", 1L)));
    assertThat(
            strategy
                .allocate(List.of(new Need("A", 6)), new Supply(List.of("ONE"), Map.of(), true))
                .byLocation())
        .isEmpty();
  }
}
