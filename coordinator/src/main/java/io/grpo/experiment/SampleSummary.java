package io.grpo.experiment;

import org.apache.commons.statistics.distribution.TDistribution;

import java.util.Arrays;

/**
 * Mean, sample standard deviation and the t-based 95% confidence interval of the mean of a
 * small sample (one value per seed). With fewer than two values the interval is undefined (NaN).
 */
public record SampleSummary(int n, double mean, double sd, double ciLow, double ciHigh) {
    public static SampleSummary of(double[] x) {
        int n = x.length;
        double mean = n == 0 ? Double.NaN : Arrays.stream(x).sum() / n;
        if (n < 2) return new SampleSummary(n, mean, Double.NaN, Double.NaN, Double.NaN);
        double ss = 0;
        for (double v : x) ss += (v - mean) * (v - mean);
        double sd = Math.sqrt(ss / (n - 1));
        double half = TDistribution.of(n - 1).inverseCumulativeProbability(0.975) * sd / Math.sqrt(n);
        return new SampleSummary(n, mean, sd, mean - half, mean + half);
    }

    public double halfWidth() {
        return (ciHigh - ciLow) / 2;
    }
}
