package io.grpo.experiment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatisticsTest {
    // Student's (1908) sleep data, as in R's datasets::sleep: extra hours of sleep under two drugs.
    static final double[] DRUG1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
    static final double[] DRUG2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

    @Test
    void welchTestMatchesTheTextbookSleepExample() {
        // R: t.test(extra ~ group, data = sleep) -> t = -1.8608, df = 17.776, p-value = 0.07939
        Comparison c = Comparison.of("s", "max", 1, "return", DRUG1, DRUG2);
        assertEquals(-1.8608, c.welchT(), 1e-4);
        assertEquals(17.776, c.welchDf(), 1e-3);
        assertEquals(0.07939, c.welchP(), 1e-5);
        assertEquals(-1.58, c.difference(), 1e-12);
    }

    @Test
    void confidenceIntervalOfTheMeanMatchesTheOneSampleTTest() {
        // R: t.test(sleep$extra[1:10]) -> mean 0.75, 95 percent CI -0.5297804 2.0297804
        SampleSummary s = SampleSummary.of(DRUG1);
        assertEquals(10, s.n());
        assertEquals(0.75, s.mean(), 1e-12);
        assertEquals(1.789010, s.sd(), 1e-6);
        assertEquals(-0.5297804, s.ciLow(), 1e-6);
        assertEquals(2.0297804, s.ciHigh(), 1e-6);
    }

    @Test
    void mannWhitneyIsExactForSmallSamplesWithoutTies() {
        // all three treatment values above all three control values: U = 9, exact two-sided p = 2 / C(6, 3) = 0.1
        Comparison c = Comparison.of("s", "max", 1, "return", new double[]{4, 5, 6}, new double[]{1, 2, 3});
        assertEquals(9, c.mannWhitneyU(), 1e-12);
        assertEquals(0.1, c.mannWhitneyP(), 1e-12);
        assertEquals(1.0, c.cliffsDelta(), 1e-12);
    }

    @Test
    void effectSizesByHand() {
        // pooled SD of the sleep groups: sqrt((1.789010^2 + 2.002249^2) / 2) = 1.898625
        Comparison c = Comparison.of("s", "max", 1, "return", DRUG1, DRUG2);
        assertEquals(-1.58 / 1.898625, c.cohensD(), 1e-5);
        // x = {1,2,3} vs y = {2,4}: x > y once (3>2), x < y four times, one tie -> (1 - 4) / 6
        assertEquals(-0.5, Comparison.cliffsDelta(new double[]{1, 2, 3}, new double[]{2, 4}), 1e-12);
    }

    @Test
    void constantSamplesGiveNoTTestInsteadOfAFakeP() {
        Comparison c = Comparison.of("s", "max", 1, "return", new double[]{1, 1, 1}, new double[]{1, 1, 1});
        assertTrue(Double.isNaN(c.welchP()));
        assertTrue(Double.isNaN(c.cohensD()));
        assertEquals(0.0, c.cliffsDelta());
    }

    @Test
    void holmOnAHandMadeFamily() {
        // sorted 0.005, 0.01, 0.03, 0.04 -> x4 = 0.02, x3 = 0.03, x2 = 0.06, x1 = 0.04 -> running max 0.06
        assertArrayEquals(new double[]{0.03, 0.06, 0.06, 0.02}, Holm.adjust(new double[]{0.01, 0.04, 0.03, 0.005}), 1e-12);
        // NaN is not a test: m = 2, capped at 1, monotone
        double[] a = Holm.adjust(new double[]{0.5, Double.NaN, 0.6});
        assertEquals(1.0, a[0], 1e-12);
        assertTrue(Double.isNaN(a[1]));
        assertEquals(1.0, a[2], 1e-12);
        assertArrayEquals(new double[]{0.04}, Holm.adjust(new double[]{0.04}), 1e-12);
    }
}
