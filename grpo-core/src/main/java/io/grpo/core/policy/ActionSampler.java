package io.grpo.core.policy;

import io.grpo.core.env.ActionMasks;
import io.grpo.core.update.PpoMath;

import java.util.SplittableRandom;

/** Categorical sampling and greedy choice from rows of logits. */
public final class ActionSampler {
    private ActionSampler() {}

    /**
     * Samples one action per row; writes the behaviour log-probabilities into {@code logProbsOut}.
     */
    public static void sample(double[] logits, int rows, int actions, long[] masks, SplittableRandom rng,
                              int[] actionsOut, float[] logProbsOut) {
        double[] logp = new double[actions];
        for (int i = 0; i < rows; i++) {
            PpoMath.logSoftmax(logits, i * actions, actions, masks[i], logp);
            double u = rng.nextDouble();
            int chosen = -1;
            double cumulative = 0;
            for (int k = 0; k < actions; k++) {
                if (!ActionMasks.isValid(masks[i], k)) continue;
                chosen = k; // the last valid action absorbs rounding at the top of the range
                cumulative += Math.exp(logp[k]);
                if (u < cumulative) {
                    chosen = k;
                    break;
                }
            }
            actionsOut[i] = chosen;
            logProbsOut[i] = (float) logp[chosen];
        }
    }

    /** Arg-max valid action per row. */
    public static void greedy(double[] logits, int rows, int actions, long[] masks, int[] actionsOut) {
        for (int i = 0; i < rows; i++) {
            int best = -1;
            for (int k = 0; k < actions; k++) {
                if (ActionMasks.isValid(masks[i], k) && (best < 0 || logits[i * actions + k] > logits[i * actions + best])) best = k;
            }
            actionsOut[i] = best;
        }
    }
}
