package io.grpo.core.train;

import java.util.List;

/**
 * What {@link GrpoTrainer#train} returns.
 *
 * @param updates           every update's report
 * @param evaluations       every greedy evaluation, the final one last
 * @param envSteps          training env steps taken
 * @param wallSeconds       training wall time including evaluations
 * @param solvedAtEnvSteps  env steps at the first evaluation that reached the threshold, or null
 */
public record TrainingHistory(List<UpdateReport> updates, List<EvaluationReport> evaluations, long envSteps,
                              double wallSeconds, Long solvedAtEnvSteps) {
    public TrainingHistory {
        updates = List.copyOf(updates);
        evaluations = List.copyOf(evaluations);
    }

    public EvaluationReport finalEvaluation() {
        return evaluations.get(evaluations.size() - 1);
    }
}
