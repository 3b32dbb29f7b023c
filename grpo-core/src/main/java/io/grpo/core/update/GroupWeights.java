package io.grpo.core.update;

import io.grpo.core.RobustMode;

import java.util.Arrays;

/**
 * Turns per-group losses into the GRPO per-sample weights
 * {@code w_i = (1-lambda)/N + lambda * q_g(i) / N_g(i)}, so that
 * {@code sum_i w_i l_i = (1-lambda) mean_i l_i + lambda * sum_g q_g L_g}.
 *
 * <p>{@code max}: q is one-hot on the present group with the largest loss.
 * {@code dro}: q follows Group DRO's exponentiated-gradient step
 * {@code q_g <- q_g exp(eta L_g)}, normalised, and persists across calls; groups absent
 * from a minibatch keep their q and are left out of that minibatch's weights.
 */
public final class GroupWeights {
    private final RobustMode mode;
    private final double lambda;
    private final double eta;
    private final double[] q;

    public GroupWeights(int groupCount, RobustMode mode, double lambda, double eta) {
        if (groupCount < 1) throw new IllegalArgumentException("need at least one group, got " + groupCount);
        this.mode = mode;
        this.lambda = lambda;
        this.eta = eta;
        this.q = new double[groupCount];
        Arrays.fill(q, 1.0 / groupCount);
    }

    public int groupCount() {
        return q.length;
    }

    /** Current persistent DRO weights (uniform until the first DRO step); a copy. */
    public double[] droState() {
        return q.clone();
    }

    public void restoreDroState(double[] state) {
        if (state.length != q.length) {
            throw new IllegalArgumentException("group weight state has " + state.length + " groups, expected " + q.length);
        }
        System.arraycopy(state, 0, q, 0, q.length);
    }

    /**
     * Computes this minibatch's robust group weights and per-sample weights.
     *
     * @param groups      group index of each sample
     * @param groupLosses mean surrogate loss per group (ignored where the group has no sample)
     * @param counts      samples per group
     * @param weightsOut  receives w_i
     * @return the robust weights q_g used here (0 for absent groups)
     */
    public double[] weigh(int[] groups, double[] groupLosses, int[] counts, double[] weightsOut) {
        int n = groups.length;
        double[] used = robustWeights(groupLosses, counts);
        double uniform = (1.0 - lambda) / n;
        for (int i = 0; i < n; i++) {
            int g = groups[i];
            weightsOut[i] = uniform + lambda * used[g] / counts[g];
        }
        return used;
    }

    private double[] robustWeights(double[] groupLosses, int[] counts) {
        double[] used = new double[q.length];
        if (mode == RobustMode.MAX) {
            int worst = -1;
            for (int g = 0; g < q.length; g++) {
                if (counts[g] > 0 && (worst < 0 || groupLosses[g] > groupLosses[worst])) worst = g;
            }
            used[worst] = 1.0;
            return used;
        }
        // Group DRO: exponentiated-gradient ascent on q, in log space for stability.
        double maxLog = Double.NEGATIVE_INFINITY;
        double[] logQ = new double[q.length];
        for (int g = 0; g < q.length; g++) {
            logQ[g] = Math.log(q[g]) + (counts[g] > 0 ? eta * groupLosses[g] : 0.0);
            maxLog = Math.max(maxLog, logQ[g]);
        }
        double sum = 0;
        for (int g = 0; g < q.length; g++) sum += Math.exp(logQ[g] - maxLog);
        double presentMass = 0;
        for (int g = 0; g < q.length; g++) {
            // Keep every group reachable: a weight that underflows to 0 could never recover.
            q[g] = Math.max(Math.exp(logQ[g] - maxLog) / sum, 1e-12);
            if (counts[g] > 0) presentMass += q[g];
        }
        for (int g = 0; g < q.length; g++) used[g] = counts[g] > 0 ? q[g] / presentMass : 0.0;
        return used;
    }
}
