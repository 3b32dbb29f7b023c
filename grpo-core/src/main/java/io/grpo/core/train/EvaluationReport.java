package io.grpo.core.train;

/**
 * A greedy evaluation during or after training.
 *
 * @param envSteps     training env steps when it ran
 * @param episodes     episodes played
 * @param returnMean   mean undiscounted return
 * @param returnStd    its standard deviation
 * @param solved       the mean reached the solved threshold
 */
public record EvaluationReport(long envSteps, int episodes, double returnMean, double returnStd, boolean solved) {
}
