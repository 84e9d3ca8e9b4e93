package dev.onhand.stock.count;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure rules of counts: ABC classes and tolerance. */
class CycleCountRulesTest {

  @Test
  void abcClassesFollowTheShareOfValueRankedAbove() {
    Map<String, BigDecimal> values = new LinkedHashMap<>();
    values.put("low", new BigDecimal("40"));
    values.put("top", new BigDecimal("500"));
    values.put("none", BigDecimal.ZERO);
    values.put("second", new BigDecimal("300"));
    values.put("third", new BigDecimal("100"));
    values.put("fourth", new BigDecimal("60"));
    assertThat(AbcClassifier.classify(values))
        .containsExactly(
            Map.entry("top", AbcClass.A),
            Map.entry("second", AbcClass.A),
            Map.entry("third", AbcClass.B),
            Map.entry("fourth", AbcClass.B),
            Map.entry("low", AbcClass.C),
            Map.entry("none", AbcClass.C));
    // one SKU with all the value is A; nothing sold at all is C throughout
    assertThat(AbcClassifier.classify(Map.of("only", BigDecimal.ONE)))
        .containsEntry("only", AbcClass.A);
    assertThat(AbcClassifier.classify(Map.of("x", BigDecimal.ZERO, "y", BigDecimal.ZERO)))
        .containsOnly(Map.entry("x", AbcClass.C), Map.entry("y", AbcClass.C));
  }

  @Test
  void toleranceIsTheLargerOfUnitsAndTheFlooredPercentage() {
    assertThat(CycleCountService.tolerance(0, new BigDecimal("10"), 50)).isEqualTo(5);
    assertThat(CycleCountService.tolerance(0, new BigDecimal("10"), 59)).isEqualTo(5);
    assertThat(CycleCountService.tolerance(7, new BigDecimal("10"), 50)).isEqualTo(7);
    assertThat(CycleCountService.tolerance(0, new BigDecimal("2.5"), 100)).isEqualTo(2);
    assertThat(CycleCountService.tolerance(0, BigDecimal.ZERO, 1000)).isZero();
  }
}
