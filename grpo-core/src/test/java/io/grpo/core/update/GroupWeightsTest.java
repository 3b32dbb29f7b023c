package io.grpo.core.update;

import io.grpo.core.RobustMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GroupWeightsTest {
    private static final int[] GROUPS = {0, 0, 1, 1, 1, 2};
    private static final int[] COUNTS = {2, 3, 1};
    private static final double[] LOSSES = {0.1, 0.5, -0.2};

    @Test
    void lambdaZeroGivesExactlyUniformWeights() {
        for (RobustMode mode : RobustMode.values()) {
            double[] w = new double[GROUPS.length];
            new GroupWeights(3, mode, 0.0, 0.5).weigh(GROUPS, LOSSES, COUNTS, w);
            for (double x : w) assertEquals(1.0 / GROUPS.length, x, 0.0, mode.label());
        }
    }

    @Test
    void maxModePutsAllRobustWeightOnTheWorstGroup() {
        double lambda = 0.4;
        double[] w = new double[GROUPS.length];
        double[] q = new GroupWeights(3, RobustMode.MAX, lambda, 0.5).weigh(GROUPS, LOSSES, COUNTS, w);
        assertArrayEquals(new double[]{0, 1, 0}, q, 0.0);
        double n = GROUPS.length;
        assertEquals((1 - lambda) / n, w[0], 1e-15);
        assertEquals((1 - lambda) / n + lambda / 3, w[2], 1e-15);
        assertEquals((1 - lambda) / n, w[5], 1e-15);
        double sum = 0;
        for (double x : w) sum += x;
        assertEquals(1.0, sum, 1e-12);
        // sum_i w_i l_i = (1 - lambda) mean + lambda * max_g L_g
        double[] perSample = {0.1, 0.1, 0.5, 0.5, 0.5, -0.2};
        double mean = 0, weighted = 0;
        for (int i = 0; i < perSample.length; i++) {
            mean += perSample[i] / n;
            weighted += w[i] * perSample[i];
        }
        assertEquals((1 - lambda) * mean + lambda * 0.5, weighted, 1e-12);
    }

    @Test
    void maxModeIgnoresAbsentGroups() {
        double[] w = new double[2];
        double[] q = new GroupWeights(3, RobustMode.MAX, 1.0, 0.5)
                .weigh(new int[]{0, 2}, new double[]{-1, Double.NaN, -3}, new int[]{1, 0, 1}, w);
        assertArrayEquals(new double[]{1, 0, 0}, q, 0.0);
        assertArrayEquals(new double[]{1, 0}, w, 0.0);
    }

    @Test
    void droWeightsFollowExponentiatedGradientAndPersist() {
        double eta = 0.5;
        GroupWeights gw = new GroupWeights(3, RobustMode.DRO, 1.0, eta);
        double[] w = new double[GROUPS.length];
        double[] q1 = gw.weigh(GROUPS, LOSSES, COUNTS, w);
        // by hand: q = (1/3) exp(eta L) normalised
        double a = Math.exp(0.05), b = Math.exp(0.25), c = Math.exp(-0.1), z = a + b + c;
        assertArrayEquals(new double[]{a / z, b / z, c / z}, q1, 1e-12);
        assertEquals(q1[1] / 3, w[2], 1e-12);
        // second step multiplies again: q2 ∝ q1 * exp(eta L')
        double[] l2 = {1.0, 0.0, 0.0};
        double[] q2 = gw.weigh(GROUPS, l2, COUNTS, w);
        double a2 = q1[0] * Math.exp(0.5), z2 = a2 + q1[1] + q1[2];
        assertArrayEquals(new double[]{a2 / z2, q1[1] / z2, q1[2] / z2}, q2, 1e-12);
        assertArrayEquals(q2, gw.droState(), 1e-12);
    }

    @Test
    void droStateRestores() {
        GroupWeights gw = new GroupWeights(3, RobustMode.DRO, 0.5, 0.1);
        gw.restoreDroState(new double[]{0.2, 0.3, 0.5});
        assertArrayEquals(new double[]{0.2, 0.3, 0.5}, gw.droState(), 0.0);
    }
}
