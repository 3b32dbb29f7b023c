package io.grpo.scenarios.hospital.baseline;

import io.grpo.scenarios.hospital.HospitalSimulator;

import java.util.Locale;
import java.util.SplittableRandom;

/** A fixed admission rule that reads the simulator's queues directly. */
@FunctionalInterface
public interface HospitalPolicy {

    /** The action for the simulator's current state. */
    int act(HospitalSimulator sim, SplittableRandom rng);

    /** Uniformly random action, including hold and empty queues. */
    HospitalPolicy RANDOM = (sim, rng) -> rng.nextInt(HospitalSimulator.ACTIONS);

    /** First come, first served: the longest-waiting patient who can be admitted now. */
    HospitalPolicy FIFO = (sim, rng) -> best(sim, false);

    /** Most severe first, then the longest wait among admissible patients. */
    HospitalPolicy TRIAGE = (sim, rng) -> best(sim, true);

    static HospitalPolicy named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "random" -> RANDOM;
            case "fifo" -> FIFO;
            case "triage" -> TRIAGE;
            default -> throw new IllegalArgumentException("unknown baseline policy '" + name + "' (random, fifo, triage)");
        };
    }

    private static int best(HospitalSimulator sim, boolean severityFirst) {
        int best = HospitalSimulator.HOLD;
        int bestSeverity = -1;
        double bestWait = -1;
        for (int q = 0; q < HospitalSimulator.QUEUES; q++) {
            int severity = q % io.grpo.scenarios.hospital.Severity.COUNT;
            if (sim.queueLength(q) == 0 || !sim.canAdmit(severity)) continue;
            double wait = sim.oldestWaitMinutes(q);
            boolean better = severityFirst
                    ? severity > bestSeverity || (severity == bestSeverity && wait > bestWait)
                    : wait > bestWait;
            if (better) {
                best = q;
                bestSeverity = severity;
                bestWait = wait;
            }
        }
        return best;
    }
}
