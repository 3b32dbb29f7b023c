package io.grpo.core.train;

import io.grpo.core.update.UpdateStats;

/**
 * One update as the trainer saw it.
 *
 * @param update        1-based update number
 * @param envSteps      training env steps so far
 * @param wallSeconds   seconds since training started
 * @param episodes      episodes finished so far
 * @param recentReturns return statistics over the last (up to) 100 finished episodes
 * @param stats         the learner's statistics
 */
public record UpdateReport(int update, long envSteps, double wallSeconds, long episodes, ReturnStats recentReturns,
                           UpdateStats stats) {

    /** Mean, std, min and max of a window of episode returns (NaN when empty). */
    public record ReturnStats(int count, double mean, double std, double min, double max) {
        public static ReturnStats of(double[] values) {
            if (values.length == 0) return new ReturnStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            double s = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                s += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double mean = s / values.length, ss = 0;
            for (double v : values) ss += (v - mean) * (v - mean);
            return new ReturnStats(values.length, mean, Math.sqrt(ss / values.length), min, max);
        }
    }
}
