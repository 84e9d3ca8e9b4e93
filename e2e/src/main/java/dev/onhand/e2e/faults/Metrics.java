package dev.onhand.e2e.faults;

/** Reads one family of a Prometheus text page: the sum of its samples whose labels match. */
final class Metrics {
  private Metrics() {}

  static double sum(String page, String name, String labelFragment) {
    double total = 0;
    for (String line : page.split("\n")) {
      if (line.startsWith(name + "{") && (labelFragment == null || line.contains(labelFragment))) {
        // the value follows the labels; a timestamp or an exemplar may follow it
        total += Double.parseDouble(line.substring(line.indexOf('}') + 1).trim().split("\\s+")[0]);
      }
    }
    return total;
  }
}
