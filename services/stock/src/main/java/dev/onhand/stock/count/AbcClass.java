package dev.onhand.stock.count;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Pareto classes of consumption value at a location; see {@link AbcClassifier}. */
@Schema(name = "CountAbcClass")
public enum AbcClass {
  A,
  B,
  C
}
