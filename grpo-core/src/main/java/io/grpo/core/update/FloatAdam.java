package io.grpo.core.update;

/**
 * Adam on float parameter blocks, in the form ND4J's {@code AdamUpdater} uses
 * ({@code alpha_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)}, epsilon added to sqrt(v)), so
 * the BLAS and DL4J learner backends take the same steps and share the checkpointed moment
 * layout: one vector {@code [m, v]} over the blocks in order.
 */
final class FloatAdam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private final double epsilon;
    private final float[] m;
    private final float[] v;

    FloatAdam(int parameterCount, double epsilon) {
        this.epsilon = epsilon;
        this.m = new float[parameterCount];
        this.v = new float[parameterCount];
    }

    /**
     * One step on {@code params} from {@code grads} (same block shapes and order).
     *
     * @param step 0-based count of steps taken so far (drives bias correction)
     */
    void step(float[][] params, float[][] grads, double learningRate, int step) {
        double alpha = learningRate * Math.sqrt(1 - Math.pow(BETA2, step + 1)) / (1 - Math.pow(BETA1, step + 1));
        if (Double.isNaN(alpha) || Double.isInfinite(alpha) || alpha == 0) alpha = epsilon; // as ND4J does
        int k = 0;
        for (int b = 0; b < params.length; b++) {
            float[] p = params[b], g = grads[b];
            for (int i = 0; i < p.length; i++, k++) {
                double gi = g[i];
                double mk = BETA1 * m[k] + (1 - BETA1) * gi;
                double vk = BETA2 * v[k] + (1 - BETA2) * gi * gi;
                m[k] = (float) mk;
                v[k] = (float) vk;
                p[i] -= (float) (alpha * mk / (Math.sqrt(vk) + epsilon));
            }
        }
        if (k != m.length) throw new IllegalArgumentException("blocks hold " + k + " parameters, optimizer has " + m.length);
    }

    /** Moment estimates [m, v] as one vector, for checkpoints (the layout of {@link AdamOptimizer#state()}). */
    double[] state() {
        double[] s = new double[2 * m.length];
        for (int i = 0; i < m.length; i++) {
            s[i] = m[i];
            s[m.length + i] = v[i];
        }
        return s;
    }

    void restore(double[] s) {
        if (s.length != 2 * m.length) {
            throw new IllegalArgumentException("optimizer state has " + s.length + " values, expected " + 2 * m.length);
        }
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) s[i];
            v[i] = (float) s[m.length + i];
        }
    }
}
