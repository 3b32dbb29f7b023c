package io.grpo.scenarios.hospital.fairness;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FairnessMetricsTest {

    private static GroupOutcome outcome(String group, int arrivals, int leftUnseen, int adverse, double... waits) {
        return new GroupOutcome(group, arrivals, waits.length, leftUnseen, adverse, waits);
    }

    private static double[] repeat(double wait, int times) {
        double[] waits = new double[times];
        Arrays.fill(waits, wait);
        return waits;
    }

    /** treated rates .8/.5/1, mean waits 45/55/30, p90 waits 73/91/30, left-unseen and adverse rates .1/.2/0 */
    private static List<GroupOutcome> handExample() {
        return List.of(
                outcome("pediatric", 10, 1, 1, 10, 20, 30, 40, 50, 60, 70, 80),
                outcome("adult", 20, 4, 4, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100),
                outcome("elderly", 5, 0, 0, 30, 30, 30, 30, 30));
    }

    @Test
    void jainIndexOfHandExamples() {
        assertEquals(1.0, FairnessMetrics.jainIndex(new double[]{0.7, 0.7, 0.7}), 1e-12);
        assertEquals(1.0 / 3, FairnessMetrics.jainIndex(new double[]{0, 0.9, 0}), 1e-12);
        assertEquals(0.25, FairnessMetrics.jainIndex(new double[]{1, 0, 0, 0}), 1e-12);
        assertEquals(0.9, FairnessMetrics.jainIndex(new double[]{0.5, 1.0}), 1e-12); // 1.5² / (2 · 1.25)
        assertEquals(1.0, FairnessMetrics.jainIndex(new double[]{0, 0}));
        assertTrue(Double.isNaN(FairnessMetrics.jainIndex(new double[0])));
    }

    @Test
    void giniCoefficientOfHandExamples() {
        assertEquals(0.0, FairnessMetrics.giniCoefficient(new double[]{12, 12, 12}));
        // ordered pairs: |0 - 10| four times = 40; 40 / (2 · 9 · 10/3)
        assertEquals(2.0 / 3, FairnessMetrics.giniCoefficient(new double[]{0, 0, 10}), 1e-12);
        assertEquals(0.25, FairnessMetrics.giniCoefficient(new double[]{10, 30}), 1e-12); // 40 / (2 · 4 · 20)
        assertEquals(0.0, FairnessMetrics.giniCoefficient(new double[]{0, 0}));
        assertTrue(Double.isNaN(FairnessMetrics.giniCoefficient(new double[0])));
    }

    @Test
    void gapsAndRatiosOfAHandExample() {
        FairnessReport r = FairnessMetrics.compute(handExample());
        assertEquals(0.5, r.treatedRateGap(), 1e-12);
        assertEquals(0.5, r.treatedRateRatio(), 1e-12);
        assertEquals(25.0, r.meanWaitGap(), 1e-12);
        assertEquals(30.0 / 55, r.meanWaitRatio(), 1e-12);
        assertEquals(61.0, r.p90WaitGap(), 1e-12);
        assertEquals(30.0 / 91, r.p90WaitRatio(), 1e-12);
        assertEquals(0.2, r.leftUnseenRateGap(), 1e-12);
        assertEquals(0.0, r.leftUnseenRateRatio(), 0.0);
        assertEquals(0.2, r.adverseRateGap(), 1e-12);
        assertEquals(0.0, r.adverseRateRatio(), 0.0);
        assertEquals(5.29 / 5.67, r.jainTreatedRate(), 1e-12); // 2.3² / (3 · 1.89)
        assertEquals(100.0 / 780, r.giniMeanWait(), 1e-12);    // 100 / (2 · 9 · 130/3)
        assertEquals("adult", r.worstGroup());
        assertEquals(0.2, r.worstGroupAdverseRate(), 1e-12);
        assertEquals(5.29 / 5.67 * (1 - 100.0 / 780) * (1 - 0.2), r.fairnessScore(), 1e-12);
        assertEquals(handExample(), r.groups());
    }

    @Test
    void ratioIsOneWhenAllAreZeroAndOneGroupIsEqualToItself() {
        FairnessReport noneLeft = FairnessMetrics.compute(List.of(outcome("a", 2, 0, 0, 5, 5), outcome("b", 1, 0, 0, 5)));
        assertEquals(0.0, noneLeft.leftUnseenRateGap());
        assertEquals(1.0, noneLeft.leftUnseenRateRatio());
        assertEquals(1.0, noneLeft.adverseRateRatio());

        FairnessReport single = FairnessMetrics.compute(List.of(outcome("a", 4, 1, 1, 10, 50)));
        assertEquals(0.0, single.treatedRateGap());
        assertEquals(1.0, single.treatedRateRatio());
        assertEquals(0.0, single.p90WaitGap());
        assertEquals(1.0, single.p90WaitRatio());
        assertEquals(1.0, single.jainTreatedRate());
        assertEquals(0.0, single.giniMeanWait());
        assertEquals(1.0, single.fairnessScore());
    }

    @Test
    void groupsWithoutArrivalsTakePartInNoStatistic() {
        List<GroupOutcome> withEmpty = new ArrayList<>(handExample());
        withEmpty.add(1, outcome("empty", 0, 0, 0));
        FairnessReport r = FairnessMetrics.compute(withEmpty);
        assertEquals(FairnessMetrics.summary(FairnessMetrics.compute(handExample())), FairnessMetrics.summary(r));
        assertEquals(4, r.groups().size());
    }

    @Test
    void groupsWithoutTreatedPatientsCountInRatesButNotInWaits() {
        FairnessReport r = FairnessMetrics.compute(List.of(
                outcome("a", 4, 0, 0, 10, 20, 30, 40),
                outcome("b", 4, 3, 1)));
        assertEquals(1.0, r.treatedRateGap(), 0.0);
        assertEquals(0.0, r.treatedRateRatio(), 0.0);
        assertEquals(0.5, r.jainTreatedRate(), 1e-12);
        assertEquals(0.0, r.meanWaitGap(), 0.0);  // only group a has waits
        assertEquals(0.0, r.giniMeanWait(), 0.0);
        assertEquals(0.5 * 1 * (1 - 0.25), r.fairnessScore(), 1e-12);
    }

    @Test
    void statisticsNoGroupQualifiesForAreNaN() {
        FairnessReport nobodyTreated = FairnessMetrics.compute(List.of(outcome("a", 2, 2, 0), outcome("b", 1, 0, 1)));
        assertTrue(Double.isNaN(nobodyTreated.meanWaitGap()));
        assertTrue(Double.isNaN(nobodyTreated.p90WaitRatio()));
        assertTrue(Double.isNaN(nobodyTreated.giniMeanWait()));
        assertEquals(1.0, nobodyTreated.jainTreatedRate()); // everyone equally untreated
        assertEquals(0.0, nobodyTreated.fairnessScore(), 0.0); // Jain 1, wait factor 1, adverse gap 1 - 0

        for (List<GroupOutcome> nobody : List.of(List.<GroupOutcome>of(), List.of(outcome("a", 0, 0, 0)))) {
            FairnessReport r = FairnessMetrics.compute(nobody);
            assertTrue(Double.isNaN(r.treatedRateGap()));
            assertTrue(Double.isNaN(r.adverseRateRatio()));
            assertTrue(Double.isNaN(r.jainTreatedRate()));
            assertTrue(Double.isNaN(r.fairnessScore()));
            assertNull(r.worstGroup());
            assertTrue(Double.isNaN(r.worstGroupAdverseRate()));
        }
    }

    @Test
    void worstGroupIsTheFirstOfATieForTheHighestAdverseRate() {
        FairnessReport r = FairnessMetrics.compute(List.of(
                outcome("pediatric", 10, 0, 1, 5),
                outcome("adult", 10, 0, 3, 5),
                outcome("elderly", 20, 0, 6, 5)));
        assertEquals("adult", r.worstGroup());
        assertEquals(0.3, r.worstGroupAdverseRate(), 1e-12);
    }

    @Test
    void aStarvedGroupScoresStrictlyLowerThanABalancedSplitOfTheSameTotals() {
        // both: 300 arrivals, 240 treated, 30 left unseen, 15 adverse events, 7200 minutes of treated waits
        FairnessReport balanced = FairnessMetrics.compute(List.of(
                outcome("pediatric", 100, 10, 5, repeat(30, 80)),
                outcome("adult", 100, 10, 5, repeat(30, 80)),
                outcome("elderly", 100, 10, 5, repeat(30, 80))));
        FairnessReport starving = FairnessMetrics.compute(List.of(
                outcome("pediatric", 100, 2, 1, repeat(20, 95)),
                outcome("adult", 100, 2, 1, repeat(20, 95)),
                outcome("elderly", 100, 26, 13, repeat(68, 50))));

        assertEquals(1.0, balanced.fairnessScore(), 1e-12);
        assertTrue(starving.fairnessScore() < balanced.fairnessScore());
        // Jain 2.4² / (3 · 2.055); Gini 192 / (2 · 9 · 36); adverse gap 0.13 - 0.01
        assertEquals(5.76 / 6.165 * (1 - 192.0 / 648) * (1 - 0.12), starving.fairnessScore(), 1e-12);
        assertEquals("elderly", starving.worstGroup());
    }

    @Test
    void fairnessScoreFallsAsOneGroupIsStarvedMore() {
        double previous = Double.POSITIVE_INFINITY;
        for (int treated = 10; treated >= 0; treated--) {
            double score = FairnessMetrics.compute(List.of(
                    outcome("a", 10, 0, 0, repeat(30, 10)),
                    outcome("b", 10, 10 - treated, (10 - treated) / 2, repeat(30 + 10 * (10 - treated), treated))))
                    .fairnessScore();
            assertTrue(score >= 0 && score <= 1, "score in [0, 1]: " + score);
            assertTrue(score < previous, "score falls as b is starved: " + score + " after " + previous);
            previous = score;
        }
    }

    @Test
    void rejectsAGroupListedTwice() {
        assertThrows(IllegalArgumentException.class, () -> FairnessMetrics.compute(List.of(
                outcome("adult", 1, 0, 0, 1), outcome("adult", 1, 0, 0, 2))));
    }

    @Test
    void summaryHasTheSummaryJsonKeysInOrderWithNaNAsNull() {
        Map<String, Object> summary = FairnessMetrics.summary(FairnessMetrics.compute(handExample()));
        assertEquals(List.of("worst_group", "worst_group_adverse_rate", "adverse_rate_gap", "p90_wait_gap",
                "jain_treated_rate", "gini_mean_wait", "fairness_score", "treated_rate_gap", "treated_rate_ratio",
                "mean_wait_gap", "mean_wait_ratio", "p90_wait_ratio", "left_unseen_rate_gap", "left_unseen_rate_ratio",
                "adverse_rate_ratio"), List.copyOf(summary.keySet()));
        assertEquals("adult", summary.get("worst_group"));
        assertEquals(0.2, (Double) summary.get("adverse_rate_gap"), 1e-12);
        assertEquals(61.0, (Double) summary.get("p90_wait_gap"), 1e-12);
        assertEquals(5.29 / 5.67 * (1 - 100.0 / 780) * 0.8, (Double) summary.get("fairness_score"), 1e-12);
        assertEquals(0.0, summary.get("adverse_rate_ratio"));

        Map<String, Object> nobodyTreated = FairnessMetrics.summary(
                FairnessMetrics.compute(List.of(outcome("a", 2, 1, 0), outcome("b", 2, 1, 0))));
        assertNull(nobodyTreated.get("p90_wait_gap"));
        assertNull(nobodyTreated.get("gini_mean_wait"));
        assertNull(nobodyTreated.get("mean_wait_ratio"));
        assertEquals(1.0, nobodyTreated.get("fairness_score"));
        assertTrue(nobodyTreated.containsKey("mean_wait_gap"), "null values keep their key");

        Map<String, Object> empty = FairnessMetrics.summary(FairnessMetrics.compute(List.of()));
        assertEquals(15, empty.size());
        assertTrue(empty.values().stream().allMatch(v -> v == null));
    }

    @Test
    void groupSummariesHaveTheSummaryJsonKeysInGroupOrder() {
        List<GroupOutcome> groups = List.of(outcome("elderly", 8, 2, 1, 10, 20, 30, 60), outcome("pediatric", 3, 3, 0));
        Map<String, Map<String, Object>> summaries = FairnessMetrics.groupSummaries(FairnessMetrics.compute(groups));
        assertEquals(List.of("elderly", "pediatric"), List.copyOf(summaries.keySet()));

        Map<String, Object> elderly = new LinkedHashMap<>();
        elderly.put("arrivals", 8);
        elderly.put("treated_rate", 0.5);
        elderly.put("mean_wait", 30.0);
        elderly.put("p90_wait", 51.0); // h = 2.7 -> 30 + 0.7 * 30
        elderly.put("left_unseen_rate", 0.25);
        elderly.put("adverse_rate", 0.125);
        Map<String, Object> actual = summaries.get("elderly");
        assertEquals(List.copyOf(elderly.keySet()), List.copyOf(actual.keySet()));
        assertEquals(51.0, (Double) actual.get("p90_wait"), 1e-12);
        actual.put("p90_wait", 51.0);
        assertEquals(elderly, actual);

        Map<String, Object> pediatric = summaries.get("pediatric");
        assertEquals(3, pediatric.get("arrivals"));
        assertEquals(0.0, pediatric.get("treated_rate"));
        assertNull(pediatric.get("mean_wait"));
        assertNull(pediatric.get("p90_wait"));
        assertEquals(1.0, pediatric.get("left_unseen_rate"));
    }
}
