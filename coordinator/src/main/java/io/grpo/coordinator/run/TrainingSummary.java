package io.grpo.coordinator.run;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * {@code summary.json} of a training run (keys are written in snake_case).
 *
 * @param solvedAtEnvSteps null when the run never reached the solved threshold
 * @param groups           group name -> its samples, loss and weight at the last update
 * @param scenarios        environment-specific final evaluation (hospital: returns, per-group outcomes,
 *                         fairness), absent for environments without one
 */
public record TrainingSummary(String runName, String env, long seed, double robustnessWeight, String robustMode,
                              long envSteps, long updates, long policyVersion, double wallSeconds,
                              double envStepsPerSecond, int evalEpisodes, double evalReturnMean, double evalReturnStd,
                              Double solvedThreshold, Long solvedAtEnvSteps, Map<String, GroupSummary> groups,
                              String checkpoint,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> scenarios) {

    public record GroupSummary(int samples, Double loss, double weight) {}
}
