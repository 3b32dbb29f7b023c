package io.grpo.coordinator.learner;

import io.grpo.core.rollout.SampleBatch;
import io.grpo.core.train.GrpoAgent;
import io.grpo.core.update.LearnerState;
import io.grpo.core.update.UpdateStats;

/**
 * Runs a GRPO update and undoes it when it leaves non-finite parameters or losses: a diverged
 * step must never be broadcast to workers or checkpointed. The learner's state (parameters,
 * Adam moments, DRO weights, version) is copied before the update and restored after a bad one.
 */
final class DivergenceGuard {
    private DivergenceGuard() {}

    /** @param problem null when the update was kept, else what was non-finite (the update was rolled back) */
    record Outcome(UpdateStats stats, String problem) {
        boolean rolledBack() {
            return problem != null;
        }
    }

    static Outcome update(GrpoAgent agent, SampleBatch batch, double learningRate) {
        LearnerState before = agent.learner().state();
        UpdateStats stats = agent.update(batch, learningRate);
        String problem = problem(agent.net().parameters(), stats);
        if (problem != null) agent.learner().restore(before);
        return new Outcome(stats, problem);
    }

    private static String problem(float[] parameters, UpdateStats s) {
        for (int i = 0; i < parameters.length; i++) {
            if (!Float.isFinite(parameters[i])) return "parameter " + i + " is " + parameters[i];
        }
        if (!Double.isFinite(s.policyLoss())) return "policy loss is " + s.policyLoss();
        if (!Double.isFinite(s.valueLoss())) return "value loss is " + s.valueLoss();
        return null;
    }
}
