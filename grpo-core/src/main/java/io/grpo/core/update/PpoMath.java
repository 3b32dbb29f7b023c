package io.grpo.core.update;

import static io.grpo.core.env.ActionMasks.isValid;

/**
 * The per-sample PPO quantities, in plain loops over a row of logits.
 *
 * <p>Shared by the loss function (gradient) and the learner (statistics and group
 * losses) so both see exactly the same numbers.
 */
public final class PpoMath {
    private PpoMath() {}

    /** Writes log-softmax of {@code logits[off, off+n)} into {@code out[0, n)}. */
    public static void logSoftmax(double[] logits, int off, int n, double[] out) {
        logSoftmax(logits, off, n, -1L, out);
    }

    /**
     * Log-softmax over the actions whose bit is set in {@code mask} (invalid-action masking,
     * Huang and Ontanon 2020); masked actions get log-probability -infinity.
     */
    public static void logSoftmax(double[] logits, int off, int n, long mask, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) if (isValid(mask, k)) max = Math.max(max, logits[off + k]);
        double sum = 0;
        for (int k = 0; k < n; k++) if (isValid(mask, k)) sum += Math.exp(logits[off + k] - max);
        double logZ = max + Math.log(sum);
        for (int k = 0; k < n; k++) out[k] = isValid(mask, k) ? logits[off + k] - logZ : Double.NEGATIVE_INFINITY;
    }

    /** Entropy -sum p log p of a distribution given by its log-probabilities (0 log 0 = 0). */
    public static double entropy(double[] logp, int n) {
        double h = 0;
        for (int k = 0; k < n; k++) if (logp[k] > Double.NEGATIVE_INFINITY) h -= Math.exp(logp[k]) * logp[k];
        return h;
    }

    /** Clipped surrogate loss {@code -min(r A, clip(r, 1-eps, 1+eps) A)}. */
    public static double surrogateLoss(double ratio, double advantage, double eps) {
        double clipped = Math.max(1 - eps, Math.min(1 + eps, ratio));
        return -Math.min(ratio * advantage, clipped * advantage);
    }

    /**
     * d(surrogate loss)/d(ratio). When the unclipped term is the minimum (including the
     * tie inside the clip range) the loss is -rA; otherwise it is constant in r.
     */
    public static double surrogateLossDRatio(double ratio, double advantage, double eps) {
        double clipped = Math.max(1 - eps, Math.min(1 + eps, ratio));
        return ratio * advantage <= clipped * advantage ? -advantage : 0.0;
    }
}
