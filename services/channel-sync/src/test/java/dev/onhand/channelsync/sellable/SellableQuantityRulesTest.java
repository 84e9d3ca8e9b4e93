package dev.onhand.channelsync.sellable;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** max(0, min(maximum, floor(pool × percent / 100)) − buffer), and a listing's fixed quantity. */
class SellableQuantityRulesTest {

  private static long sellable(long pool, long buffer, int percent, Long maximum, Long fixed) {
    return SellableQuantity.of(pool, new SellableQuantity.Rules(buffer, percent, maximum, fixed));
  }

  @Test
  void theShareIsFlooredCappedThenTheBufferHeldBack() {
    assertThat(sellable(17, 2, 50, 20L, null)).isEqualTo(6); // floor(8.5) = 8, − 2
    assertThat(sellable(47, 2, 50, 20L, null)).isEqualTo(18); // min(20, 23) − 2
    assertThat(sellable(10, 0, 100, null, null)).isEqualTo(10);
    assertThat(sellable(3, 0, 33, null, null)).isZero(); // floor(0.99)
  }

  @Test
  void neverBelowZero() {
    assertThat(sellable(5, 8, 100, null, null)).isZero();
    assertThat(sellable(0, 0, 100, 0L, null)).isZero();
    assertThat(sellable(100, 1, 0, null, null)).isZero();
  }

  @Test
  void aFixedQuantityReplacesTheComputation() {
    assertThat(sellable(0, 5, 10, 1L, 7L)).isEqualTo(7);
  }
}
