package dev.onhand.e2e.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * What a fault program counted: the four counts of RabbitMQ's Jepsen checker — lost (acknowledged
 * but not applied), duplicated (applied more than once), unexpected (applied though refused or
 * never sent), recovered (failed during the fault, applied after it) — and the invariants broken.
 */
final class Outcome {
  long operations;
  long lost;
  long duplicated;
  long unexpected;
  long recovered;
  final List<String> broken = new ArrayList<>();
  final List<String> notes = new ArrayList<>();

  boolean passed() {
    return lost == 0 && duplicated == 0 && unexpected == 0 && broken.isEmpty();
  }

  void check(boolean holds, String invariant) {
    if (!holds) {
      broken.add(invariant);
    }
  }

  @Override
  public String toString() {
    return String.format(
        "%s operations=%d lost=%d duplicated=%d unexpected=%d recovered=%d invariants=%s%s",
        passed() ? "PASS" : "FAIL",
        operations,
        lost,
        duplicated,
        unexpected,
        recovered,
        broken.isEmpty() ? "held" : "BROKEN " + broken,
        notes.isEmpty() ? "" : " " + String.join("; ", notes));
  }
}
