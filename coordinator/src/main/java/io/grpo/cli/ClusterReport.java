package io.grpo.cli;

import io.grpo.coordinator.run.ClusterSummary;
import io.grpo.coordinator.run.RunDirectory;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The few lines a cluster run prints when it ends. */
final class ClusterReport {
    private ClusterReport() {}

    static void print(PrintWriter out, ClusterSummary s, RunDirectory dir) {
        var c = s.cluster();
        out.printf(Locale.ROOT, "%s: %,d env steps, %d updates in %.1f s (%,.0f steps/s); %d workers on %d nodes, "
                        + "%d batches (%d stale, %d rejected)%n",
                s.runName(), s.envSteps(), s.updates(), s.wallSeconds(), s.envStepsPerSecond(), c.workersSeen(),
                c.nodesSeen(), c.batchesReceived(), c.batchesDroppedStale(), c.batchesRejected());
        if (c.workersLost() + c.updatesRolledBack() + c.updatesLostToFailover() + c.batchesLostInFlight() > 0) {
            out.printf(Locale.ROOT, "  faults: %d workers lost, %d updates rolled back, %d updates lost to fail-over, "
                            + "%d batches lost in flight%n", c.workersLost(), c.updatesRolledBack(),
                    c.updatesLostToFailover(), c.batchesLostInFlight());
        }
        var t = s.timing();
        out.printf(Locale.ROOT, "  CPU: %.1f s in this JVM; workers %.1f s collecting (%.1f s of it inference), "
                        + "learner %.1f s updating, GC %.1f s%n", t.processCpuSeconds(), t.rolloutCpuSeconds(),
                t.inferenceCpuSeconds(), t.updateCpuSeconds(), t.gcSeconds());
        for (var e : s.scenarios().entrySet()) {
            Map<?, ?> block = (Map<?, ?>) e.getValue();
            Map<?, ?> fairness = (Map<?, ?>) block.get("fairness");
            out.printf(Locale.ROOT, "  %-10s greedy return %7.1f +- %5.1f   worst group %s%n", e.getKey(),
                    ((Number) block.get("return_mean")).doubleValue(), ((Number) block.get("return_std")).doubleValue(),
                    fairness == null ? "-" : fairness.get("worst_group"));
        }
        out.println("run directory: " + dir.root());
    }
}
