package io.grpo.experiment;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Holm's step-down adjustment of a family of p-values (controls the family-wise error rate):
 * sort ascending, multiply the i-th smallest (0-based) by (m - i), keep the running maximum, cap at 1.
 * NaN p-values (tests that could not be run) stay NaN and do not count towards m.
 */
public final class Holm {
    private Holm() {}

    public static double[] adjust(double[] p) {
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        Integer[] order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
        int m = order.length;
        double running = 0;
        for (int i = 0; i < m; i++) {
            double adjusted = Math.min(1.0, (m - i) * p[order[i]]);
            running = Math.max(running, adjusted);
            out[order[i]] = running;
        }
        return out;
    }
}
