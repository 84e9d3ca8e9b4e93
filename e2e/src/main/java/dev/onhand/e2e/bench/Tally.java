package dev.onhand.e2e.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counts outcomes of a run and keeps the first few unexpected responses, verbatim. */
final class Tally {
  private static final int SAMPLES = 5;
  private static final int UNREACHABLE_AFTER = 1000;

  final LongAdder ok = new LongAdder();
  final LongAdder refused = new LongAdder();
  final LongAdder errors = new LongAdder();
  private final AtomicInteger transportFailures = new AtomicInteger();
  private final Map<String, LongAdder> kinds = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
  private final AtomicInteger sampled = new AtomicInteger();

  /** A response that is neither the success nor the expected refusal. */
  void error(int port, String request, Api.Reply reply) {
    errors.increment();
    String code = reply.code();
    kinds
        .computeIfAbsent(reply.status() + (code == null ? "" : " " + code), k -> new LongAdder())
        .increment();
    if (sampled.getAndIncrement() < SAMPLES) {
      samples.add(
          "port "
              + port
              + " request "
              + request
              + " -> "
              + reply.status()
              + " "
              + truncate(reply.body()));
    }
  }

  /**
   * Counts a request that got no response at all; true once there were so many that the instance is
   * evidently gone, and the run should stop instead of spinning until its deadline.
   */
  boolean unreachable() {
    return transportFailures.incrementAndGet() > UNREACHABLE_AFTER;
  }

  boolean aborted() {
    return transportFailures.get() > UNREACHABLE_AFTER;
  }

  /** Every request answered or failed so far. */
  long requests() {
    return ok.sum() + refused.sum() + errors.sum();
  }

  /** Errors by status and problem code, e.g. {@code {500=3, -1=1}}; empty when none. */
  String kinds() {
    Map<String, Long> sorted = new TreeMap<>();
    kinds.forEach((k, v) -> sorted.put(k, v.sum()));
    return sorted.toString();
  }

  /** Prints the kept samples to stderr, so they land in the run's log, not in the figures. */
  void reportSamples(String scenario) {
    if (errors.sum() == 0) {
      return;
    }
    System.err.println(scenario + ": " + errors.sum() + " unexpected responses " + kinds());
    for (String sample : samples) {
      System.err.println(scenario + ":   " + sample);
    }
  }

  private static String truncate(String s) {
    if (s == null) {
      return "";
    }
    String flat = s.replace('\n', ' ');
    return flat.length() > 600 ? flat.substring(0, 600) + "..." : flat;
  }
}
