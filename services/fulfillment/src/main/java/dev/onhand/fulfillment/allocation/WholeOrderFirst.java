package dev.onhand.fulfillment.allocation;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The default rules, in order: one location that can fill the whole order (best ranked among those
 * that can), so it ships in one parcel; otherwise each line whole from the best-ranked location
 * that has it; otherwise, when splitting is allowed, a line's units from several locations in rank
 * order. What nothing can fill is backordered.
 */
@ApplicationScoped
public class WholeOrderFirst implements AllocationStrategy {

  @Override
  public Plan allocate(List<Need> needs, Supply supply) {
    Plan plan = Plan.empty();
    for (String location : supply.rankedLocations()) {
      if (needs.stream().allMatch(n -> supply.free(n.sku(), location) >= n.quantity())) {
        needs.forEach(n -> plan.add(location, n.sku(), n.quantity()));
        return plan;
      }
    }
    Map<String, Long> taken = new HashMap<>();
    for (Need need : needs) {
      String whole =
          supply.rankedLocations().stream()
              .filter(l -> supply.free(need.sku(), l) >= need.quantity())
              .findFirst()
              .orElse(null);
      if (whole != null) {
        plan.add(whole, need.sku(), need.quantity());
        continue;
      }
      long remaining = need.quantity();
      for (String location : supply.rankedLocations()) {
        if (remaining == 0) {
          break;
        }
        long free =
            supply.free(need.sku(), location) - taken.getOrDefault(need.sku() + "@" + location, 0L);
        long take = Math.min(remaining, Math.max(0, free));
        if (take > 0) {
          plan.add(location, need.sku(), take);
          taken.merge(need.sku() + "@" + location, take, Long::sum);
          remaining -= take;
        }
        if (take > 0 && !supply.allowSplit()) {
          break;
        }
      }
    }
    return plan;
  }
}
