package dev.onhand.fulfillment.allocation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides where an order's unallocated units should come from. One interface so a new rule can be
 * added and tested alone; the allocator asks stock to reserve what the plan says, and stock stays
 * the arbiter.
 */
public interface AllocationStrategy {

  /** Units of one SKU still to allocate. */
  record Need(String sku, long quantity) {}

  /**
   * What the strategy may use: the eligible locations best first, the units free at each (keyed by
   * {@code sku@location}, absent = none), and whether a line may be split across locations.
   */
  record Supply(List<String> rankedLocations, Map<String, Long> free, boolean allowSplit) {
    long free(String sku, String location) {
      return free.getOrDefault(sku + "@" + location, 0L);
    }
  }

  /**
   * Units per SKU per location, in the order the locations were chosen; the rest is backordered.
   */
  record Plan(Map<String, Map<String, Long>> byLocation) {
    public static Plan empty() {
      return new Plan(new LinkedHashMap<>());
    }

    void add(String location, String sku, long quantity) {
      if (quantity > 0) {
        byLocation
            .computeIfAbsent(location, l -> new LinkedHashMap<>())
            .merge(sku, quantity, Long::sum);
      }
    }
  }

  Plan allocate(List<Need> needs, Supply supply);
}
