package dev.onhand.e2e.faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fault and bad-input programs of TARGETS.md (R and S), run against a suite that {@code
 * scripts/faults.sh} started on its own databases, virtual host and ports. Each prints one line of
 * counts (lost, duplicated, unexpected, recovered and the invariants checked) and the run exits
 * non-zero when any of them broke an invariant.
 *
 * <p>Usage: {@code Faults <gateway url> <run dir> <scenario>...} with scenarios r1, r2, r3, r4, s1,
 * s4.
 */
public final class Faults {
  private Faults() {}

  public static void main(String[] args) throws Exception {
    String gateway = args[0];
    String runDir = args[1];
    Suite suite = new Suite(gateway, runDir);
    suite.awaitReady();
    Map<String, Scenario> all = new LinkedHashMap<>();
    all.put("r1", new BrokerKilled(suite));
    all.put("r5", new PoisonMessage(suite));
    all.put("r6", new WebhooksAbused(suite));
    all.put("s2", new AccessRefused(suite));
    all.put("s5", new Secrets(suite, java.nio.file.Path.of(runDir)));
    all.put("r2", new DatabaseKilled(suite));
    all.put("s1", new BadInput(suite));
    all.put("s4", new IdempotencyReuse(suite));
    all.put("r3", new ServiceKilled(suite));
    all.put("r4", new Redelivery(suite));
    List<String> failed = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      Scenario scenario = all.get(args[i]);
      if (scenario == null) {
        throw new IllegalArgumentException(
            "unknown scenario " + args[i] + "; known: " + all.keySet());
      }
      long start = System.nanoTime();
      Outcome outcome = scenario.run();
      System.out.printf(
          "%-3s %s  (%.1f s)%n", args[i].toUpperCase(), outcome, (System.nanoTime() - start) / 1e9);
      if (!outcome.passed()) {
        failed.add(args[i]);
      }
    }
    if (!failed.isEmpty()) {
      System.out.println("FAILED: " + failed);
      System.exit(1);
    }
  }

  interface Scenario {
    Outcome run() throws Exception;
  }
}
