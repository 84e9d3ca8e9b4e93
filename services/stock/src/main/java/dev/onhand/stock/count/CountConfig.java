package dev.onhand.stock.count;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;

/** {@code onhand.stock.counts.*}: the ABC window and the default tolerance of a count. */
@ConfigMapping(prefix = "onhand.stock.counts")
public interface CountConfig {
  /** How far back units shipped make up a SKU's consumption value. */
  @WithDefault("P90D")
  Duration abcWindow();

  /** A variance of at most this many units is applied without approval. */
  @WithDefault("0")
  long toleranceUnits();

  /** ... or of at most this percentage of the expected quantity, whichever is larger. */
  @WithDefault("0")
  BigDecimal tolerancePercent();
}
