package io.grpo.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finished cell of results.csv: the training run and its greedy evaluation on held-out
 * seeds, with the hospital fairness block flattened.
 *
 * @param worstGroup            the group with the highest adverse-event rate
 * @param worstGroupP90Wait     the highest 90th-percentile wait (minutes) over the groups
 * @param groups                group name -> its outcomes, in the simulator's group order
 */
public record ResultRow(String scenario, String robustMode, double lambda, long seed, int updates, long envSteps,
                        double trainSeconds, int evalEpisodes, double returnMean, double returnStd, String worstGroup,
                        double worstGroupAdverseRate, double worstGroupP90Wait, double adverseRateGap,
                        double p90WaitGap, double fairnessScore, double jainTreatedRate, double giniMeanWait,
                        Map<String, GroupOutcome> groups, String runDir) {

    public ResultRow {
        groups = new LinkedHashMap<>(groups);
    }

    /** Per group: treated and left-unseen rates, mean and p90 wait of treated patients, adverse-event rate. */
    public record GroupOutcome(double treatedRate, double meanWait, double p90Wait, double leftUnseenRate,
                               double adverseRate) {
        static final List<String> FIELDS = List.of("treated_rate", "mean_wait", "p90_wait", "left_unseen_rate",
                "adverse_rate");

        double get(String field) {
            return switch (field) {
                case "treated_rate" -> treatedRate;
                case "mean_wait" -> meanWait;
                case "p90_wait" -> p90Wait;
                case "left_unseen_rate" -> leftUnseenRate;
                case "adverse_rate" -> adverseRate;
                default -> throw new IllegalArgumentException("unknown group field " + field);
            };
        }
    }

    public ResultRow withRunDir(String dir) {
        return new ResultRow(scenario, robustMode, lambda, seed, updates, envSteps, trainSeconds, evalEpisodes, returnMean,
                returnStd, worstGroup, worstGroupAdverseRate, worstGroupP90Wait, adverseRateGap, p90WaitGap,
                fairnessScore, jainTreatedRate, giniMeanWait, groups, dir);
    }

    public Cell cell() {
        return new Cell(scenario, robustMode, lambda, seed);
    }

    /** A named outcome of this row, as used by the comparisons. */
    public double metric(Metric m) {
        return switch (m) {
            case RETURN -> returnMean;
            case WORST_ADVERSE_RATE -> worstGroupAdverseRate;
            case WORST_P90_WAIT -> worstGroupP90Wait;
        };
    }

    /** The outcomes compared between lambda > 0 and lambda = 0; {@code higherIsBetter} orients the reading. */
    public enum Metric {
        RETURN("return", "mean return", true),
        WORST_ADVERSE_RATE("worst_group_adverse_rate", "worst group's adverse-event rate", false),
        WORST_P90_WAIT("worst_group_p90_wait", "worst group's p90 wait (min)", false);

        public final String key;
        public final String label;
        public final boolean higherIsBetter;

        Metric(String key, String label, boolean higherIsBetter) {
            this.key = key;
            this.label = label;
            this.higherIsBetter = higherIsBetter;
        }
    }
}
