package io.grpo.scenarios.hospital.fairness;

import java.util.List;

/**
 * How differently the patient groups fared, as computed by {@link FairnessMetrics#compute}. For each outcome the
 * report holds the gap (max − min across groups, 0 = equal) and the ratio (min / max, 1 = equal, and 1 when all
 * are 0). Groups with no arrivals take part in no statistic, and wait statistics skip groups with no treated
 * patient; a statistic that no group qualifies for is NaN.
 *
 * @param groups                the per-group outcomes, in the order given
 * @param jainTreatedRate       Jain's index of the treated rates, in [1/n, 1]; 1 = equal
 * @param giniMeanWait          Gini coefficient of the mean waits, in [0, 1); 0 = equal
 * @param worstGroup            the group with the highest adverse-event rate (the first of any tie); null when no
 *                              group had arrivals
 * @param worstGroupAdverseRate that group's adverse-event rate
 */
public record FairnessReport(
        List<GroupOutcome> groups,
        double treatedRateGap, double treatedRateRatio,
        double meanWaitGap, double meanWaitRatio,
        double p90WaitGap, double p90WaitRatio,
        double leftUnseenRateGap, double leftUnseenRateRatio,
        double adverseRateGap, double adverseRateRatio,
        double jainTreatedRate, double giniMeanWait,
        String worstGroup, double worstGroupAdverseRate) {

    public FairnessReport {
        groups = List.copyOf(groups);
    }

    /**
     * One number for how alike the groups were treated, in [0, 1], where higher means fairer and 1 means the
     * groups were equal in treated rate, mean wait and adverse-event rate:
     * <pre>
     *   fairnessScore = jainTreatedRate × (1 − giniMeanWait) × (1 − clamp(adverseRateGap, 0, 1))
     * </pre>
     * Each factor is in [0, 1] and falls as its disparity grows, so the score does too. When no group had a treated
     * patient, {@code giniMeanWait} is NaN and its factor counts as 1 (no wait disparity can be seen; an unequal
     * treated rate still shows in Jain's index). NaN when no group had arrivals.
     */
    public double fairnessScore() {
        if (Double.isNaN(jainTreatedRate)) return Double.NaN;
        double waitFactor = Double.isNaN(giniMeanWait) ? 1.0 : 1.0 - giniMeanWait;
        double adverseFactor = 1.0 - Math.min(1.0, Math.max(0.0, adverseRateGap));
        return jainTreatedRate * waitFactor * adverseFactor;
    }
}
