package io.grpo.coordinator.bench;

import io.grpo.core.policy.HiddenActivation;

import java.util.SplittableRandom;

/**
 * The hand-written reference for the benchmarks: the same MLP as the learner's (hidden layers
 * with an activation, identity output) with forward, backward and Adam written as plain
 * Java float loops, no library. Figures for DL4J and the BLAS backend are reported as a
 * fraction of this one's samples/s. Layout as DL4J's: per layer W (element (i, j) at
 * {@code j * nIn + i}) then b.
 */
public final class ReferenceMlp {
    private final int[] widths;
    private final HiddenActivation activation;
    private final float[][] w, b, gw, gb, mw, vw, mb, vb;
    private final float[][] acts;
    private float[] delta = new float[0], next = new float[0];

    public ReferenceMlp(int[] widths, HiddenActivation activation, long seed) {
        this.widths = widths.clone();
        this.activation = activation;
        int layers = widths.length - 1;
        w = new float[layers][];
        b = new float[layers][];
        gw = new float[layers][];
        gb = new float[layers][];
        mw = new float[layers][];
        vw = new float[layers][];
        mb = new float[layers][];
        vb = new float[layers][];
        acts = new float[layers + 1][0];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int l = 0; l < layers; l++) {
            int nIn = widths[l], nOut = widths[l + 1];
            w[l] = new float[nIn * nOut];
            double scale = Math.sqrt(2.0 / (nIn + nOut));
            for (int k = 0; k < w[l].length; k++) w[l][k] = (float) (scale * rng.nextGaussian());
            b[l] = new float[nOut];
            gw[l] = new float[nIn * nOut];
            gb[l] = new float[nOut];
            mw[l] = new float[nIn * nOut];
            vw[l] = new float[nIn * nOut];
            mb[l] = new float[nOut];
            vb[l] = new float[nOut];
        }
    }

    /** Row-major outputs (m x out) for row-major inputs (m x in); the buffer is reused. */
    public float[] forward(float[] x, int m) {
        acts[0] = x;
        int layers = widths.length - 1;
        for (int l = 0; l < layers; l++) {
            int nIn = widths[l], nOut = widths[l + 1];
            if (acts[l + 1].length < m * nOut) acts[l + 1] = new float[m * nOut];
            float[] in = acts[l], out = acts[l + 1], wl = w[l], bl = b[l];
            boolean hidden = l < layers - 1;
            for (int r = 0; r < m; r++) {
                for (int j = 0; j < nOut; j++) {
                    float s = bl[j];
                    int wo = j * nIn, xo = r * nIn;
                    for (int i = 0; i < nIn; i++) s += in[xo + i] * wl[wo + i];
                    out[r * nOut + j] = hidden ? activate(s) : s;
                }
            }
        }
        return acts[layers];
    }

    /** Gradients for dLoss/dOutput {@code dOut} (m x out) of the last forward pass. */
    public void backward(float[] dOut, int m) {
        int layers = widths.length - 1;
        int max = 0;
        for (int x : widths) max = Math.max(max, x);
        if (delta.length < m * max) {
            delta = new float[m * max];
            next = new float[m * max];
        }
        System.arraycopy(dOut, 0, delta, 0, m * widths[layers]);
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = widths[l], nOut = widths[l + 1];
            float[] in = acts[l], wl = w[l], gwl = gw[l], gbl = gb[l];
            java.util.Arrays.fill(gwl, 0f);
            java.util.Arrays.fill(gbl, 0f);
            if (l > 0) java.util.Arrays.fill(next, 0, m * nIn, 0f);
            for (int r = 0; r < m; r++) {
                for (int j = 0; j < nOut; j++) {
                    float d = delta[r * nOut + j];
                    gbl[j] += d;
                    int wo = j * nIn, xo = r * nIn;
                    for (int i = 0; i < nIn; i++) gwl[wo + i] += d * in[xo + i];
                    if (l > 0) for (int i = 0; i < nIn; i++) next[xo + i] += d * wl[wo + i];
                }
            }
            if (l > 0) {
                for (int k = 0; k < m * nIn; k++) {
                    float a = in[k];
                    next[k] *= activation == HiddenActivation.RELU ? (a > 0f ? 1f : 0f) : 1f - a * a;
                }
                float[] t = delta;
                delta = next;
                next = t;
            }
        }
    }

    /** One Adam step (beta 0.9/0.999) from the gradients of the last backward pass. */
    public void adam(double learningRate, double epsilon, int step) {
        float alpha = (float) (learningRate * Math.sqrt(1 - Math.pow(0.999, step + 1)) / (1 - Math.pow(0.9, step + 1)));
        for (int l = 0; l < w.length; l++) {
            adam(w[l], gw[l], mw[l], vw[l], alpha, (float) epsilon);
            adam(b[l], gb[l], mb[l], vb[l], alpha, (float) epsilon);
        }
    }

    private static void adam(float[] p, float[] g, float[] m, float[] v, float alpha, float eps) {
        for (int k = 0; k < p.length; k++) {
            m[k] = 0.9f * m[k] + 0.1f * g[k];
            v[k] = 0.999f * v[k] + 0.001f * g[k] * g[k];
            p[k] -= alpha * m[k] / ((float) Math.sqrt(v[k]) + eps);
        }
    }

    private float activate(float s) {
        return activation == HiddenActivation.RELU ? (s > 0f ? s : 0f) : (float) Math.tanh(s);
    }
}
