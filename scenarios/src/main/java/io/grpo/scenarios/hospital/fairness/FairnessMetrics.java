package io.grpo.scenarios.hospital.fairness;

import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Compares the patient groups' outcomes: gaps and ratios per outcome, Jain's index of the treated rates, the Gini
 * coefficient of the mean waits, the group with the most adverse events, and a single fairness score (see
 * {@link FairnessReport#fairnessScore()}). Also turns a report into the maps that summary.json holds.
 */
public final class FairnessMetrics {

    private FairnessMetrics() {
    }

    /**
     * The fairness report of the given groups (one outcome per group, names distinct; merge episodes first with
     * {@link GroupOutcome#merge}). Groups with no arrivals are left out of every across-group statistic, and
     * groups with no treated patient out of the wait statistics.
     */
    public static FairnessReport compute(List<GroupOutcome> groups) {
        var names = new HashSet<String>();
        for (GroupOutcome g : groups) {
            if (!names.add(g.group())) throw new IllegalArgumentException("group " + g.group() + " appears twice");
        }
        List<GroupOutcome> arrived = groups.stream().filter(g -> g.arrivals() > 0).toList();
        List<GroupOutcome> treated = groups.stream().filter(g -> g.treated() > 0).toList();
        double[] treatedRates = values(arrived, GroupOutcome::treatedRate);
        double[] meanWaits = values(treated, GroupOutcome::meanWait);
        double[] p90Waits = values(treated, GroupOutcome::p90Wait);
        double[] leftUnseenRates = values(arrived, GroupOutcome::leftUnseenRate);
        double[] adverseRates = values(arrived, GroupOutcome::adverseRate);
        GroupOutcome worst = null;
        for (GroupOutcome g : arrived) {
            if (worst == null || g.adverseRate() > worst.adverseRate()) worst = g;
        }
        return new FairnessReport(groups,
                gap(treatedRates), ratio(treatedRates),
                gap(meanWaits), ratio(meanWaits),
                gap(p90Waits), ratio(p90Waits),
                gap(leftUnseenRates), ratio(leftUnseenRates),
                gap(adverseRates), ratio(adverseRates),
                jainIndex(treatedRates), giniCoefficient(meanWaits),
                worst == null ? null : worst.group(), worst == null ? Double.NaN : worst.adverseRate());
    }

    /** max − min; NaN for no values. */
    public static double gap(double[] xs) {
        if (xs.length == 0) return Double.NaN;
        DoubleSummaryStatistics range = Arrays.stream(xs).summaryStatistics();
        return range.getMax() - range.getMin();
    }

    /** min / max of non-negative values; 1 when all are 0 (equal); NaN for no values. */
    public static double ratio(double[] xs) {
        if (xs.length == 0) return Double.NaN;
        DoubleSummaryStatistics range = Arrays.stream(xs).summaryStatistics();
        return range.getMax() == 0 ? 1.0 : range.getMin() / range.getMax();
    }

    /**
     * Jain's fairness index of non-negative values, (Σx)² / (n·Σx²): 1 when all are equal, 1/n when one value holds
     * everything. 1 when all are 0 (equal); NaN for no values. Capped at 1 against rounding.
     */
    public static double jainIndex(double[] xs) {
        if (xs.length == 0) return Double.NaN;
        double sum = 0, sumOfSquares = 0;
        for (double x : xs) {
            sum += x;
            sumOfSquares += x * x;
        }
        return sumOfSquares == 0 ? 1.0 : Math.min(1.0, sum * sum / (xs.length * sumOfSquares));
    }

    /**
     * Gini coefficient of non-negative values, Σᵢ Σⱼ |xᵢ − xⱼ| / (2·n²·mean): 0 when all are equal, approaching 1
     * as one value holds everything. 0 when the mean is 0 (all equal); NaN for no values.
     */
    public static double giniCoefficient(double[] xs) {
        if (xs.length == 0) return Double.NaN;
        double sum = 0, absoluteDifferences = 0;
        for (double xi : xs) {
            sum += xi;
            for (double xj : xs) absoluteDifferences += Math.abs(xi - xj);
        }
        double mean = sum / xs.length;
        return mean == 0 ? 0.0 : absoluteDifferences / (2.0 * xs.length * xs.length * mean);
    }

    /**
     * The report's across-group figures, as summary.json holds them: snake_case keys in a fixed order, NaN as
     * null. The map is a mutable {@link LinkedHashMap}, so a writer can append the per-group entries.
     */
    public static Map<String, Object> summary(FairnessReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("worst_group", report.worstGroup());
        m.put("worst_group_adverse_rate", orNull(report.worstGroupAdverseRate()));
        m.put("adverse_rate_gap", orNull(report.adverseRateGap()));
        m.put("p90_wait_gap", orNull(report.p90WaitGap()));
        m.put("jain_treated_rate", orNull(report.jainTreatedRate()));
        m.put("gini_mean_wait", orNull(report.giniMeanWait()));
        m.put("fairness_score", orNull(report.fairnessScore()));
        m.put("treated_rate_gap", orNull(report.treatedRateGap()));
        m.put("treated_rate_ratio", orNull(report.treatedRateRatio()));
        m.put("mean_wait_gap", orNull(report.meanWaitGap()));
        m.put("mean_wait_ratio", orNull(report.meanWaitRatio()));
        m.put("p90_wait_ratio", orNull(report.p90WaitRatio()));
        m.put("left_unseen_rate_gap", orNull(report.leftUnseenRateGap()));
        m.put("left_unseen_rate_ratio", orNull(report.leftUnseenRateRatio()));
        m.put("adverse_rate_ratio", orNull(report.adverseRateRatio()));
        return m;
    }

    /** One group's figures, as summary.json holds them: snake_case keys in a fixed order, NaN as null. */
    public static Map<String, Object> groupSummary(GroupOutcome group) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arrivals", group.arrivals());
        m.put("treated_rate", orNull(group.treatedRate()));
        m.put("mean_wait", orNull(group.meanWait()));
        m.put("p90_wait", orNull(group.p90Wait()));
        m.put("left_unseen_rate", orNull(group.leftUnseenRate()));
        m.put("adverse_rate", orNull(group.adverseRate()));
        return m;
    }

    /** {@link #groupSummary} of every group in the report, keyed by group name, in the report's order. */
    public static Map<String, Map<String, Object>> groupSummaries(FairnessReport report) {
        Map<String, Map<String, Object>> m = new LinkedHashMap<>();
        for (GroupOutcome g : report.groups()) m.put(g.group(), groupSummary(g));
        return m;
    }

    private static double[] values(List<GroupOutcome> groups, ToDoubleFunction<GroupOutcome> statistic) {
        return groups.stream().mapToDouble(statistic).toArray();
    }

    private static Double orNull(double x) {
        return Double.isNaN(x) ? null : x;
    }
}
