package io.grpo.core.policy;

import org.bytedeco.openblas.global.openblas_nolapack;

import java.util.List;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

/**
 * A dense MLP (hidden layers with the given activation, identity output) on plain float
 * arrays, with forward and backward passes whose matrix products go straight to OpenBLAS
 * {@code sgemm} (the library ND4J itself loads). On these small networks DL4J's fixed cost per
 * operation dominates; this class does a handful of sgemm calls and a few loops per layer.
 *
 * <p>Parameters use DL4J's flattened layout so vectors move freely between the two: per
 * layer the weights (nIn x nOut, column-major, i.e. element (i, j) at {@code j * nIn + i}),
 * then the biases. Read row-major, a weight block is W transposed (nOut x nIn).
 *
 * <p>Not thread-safe: {@link #forward} keeps the activations that {@link #backward} uses.
 */
public final class BlasMlp {
    private final int[] widths;
    private final HiddenActivation activation;
    private final int layers;
    private final float[][] blocks; // w1, b1, w2, b2, ...
    private final float[][] grads;  // same shapes and order
    private final float[][] acts;   // acts[0] = the input, acts[l] = output of layer l
    private float[] deltaA = new float[0];
    private float[] deltaB = new float[0];
    private int rows;

    public BlasMlp(int[] widths, HiddenActivation activation) {
        if (widths.length < 2) throw new IllegalArgumentException("need input and output widths");
        this.widths = widths.clone();
        this.activation = activation;
        this.layers = widths.length - 1;
        this.blocks = new float[2 * layers][];
        this.grads = new float[2 * layers][];
        for (int l = 1; l <= layers; l++) {
            blocks[2 * (l - 1)] = new float[widths[l - 1] * widths[l]];
            blocks[2 * (l - 1) + 1] = new float[widths[l]];
            grads[2 * (l - 1)] = new float[widths[l - 1] * widths[l]];
            grads[2 * (l - 1) + 1] = new float[widths[l]];
        }
        this.acts = new float[layers + 1][0];
    }

    /** Layer widths from input through hidden layers to output. */
    public static int[] widths(int in, List<Integer> hidden, int out) {
        int[] w = new int[hidden.size() + 2];
        w[0] = in;
        for (int i = 0; i < hidden.size(); i++) w[i + 1] = hidden.get(i);
        w[w.length - 1] = out;
        return w;
    }

    public int parameterCount() {
        int c = 0;
        for (float[] b : blocks) c += b.length;
        return c;
    }

    public int inputSize() {
        return widths[0];
    }

    public int outputSize() {
        return widths[layers];
    }

    /** Copies this net's parameters from {@code src} starting at {@code offset}; returns the next offset. */
    public int load(float[] src, int offset) {
        for (float[] b : blocks) {
            System.arraycopy(src, offset, b, 0, b.length);
            offset += b.length;
        }
        return offset;
    }

    /** Copies this net's parameters into {@code dst} at {@code offset}; returns the next offset. */
    public int store(float[] dst, int offset) {
        for (float[] b : blocks) {
            System.arraycopy(b, 0, dst, offset, b.length);
            offset += b.length;
        }
        return offset;
    }

    /** Copies the gradients of the last {@link #backward} into {@code dst} at {@code offset}; returns the next offset. */
    public int storeGradients(float[] dst, int offset) {
        for (float[] g : grads) {
            System.arraycopy(g, 0, dst, offset, g.length);
            offset += g.length;
        }
        return offset;
    }

    /** Parameter blocks (w1, b1, w2, b2, ...), live: an optimizer updates them in place. */
    public float[][] parameterBlocks() {
        return blocks;
    }

    /** Gradient blocks matching {@link #parameterBlocks()}, live. */
    public float[][] gradientBlocks() {
        return grads;
    }

    /**
     * Outputs (row-major m x outputSize) for row-major inputs {@code x} (m x inputSize). The
     * returned array is this net's buffer (it may be longer than m x outputSize) and is
     * overwritten by the next call; {@code x} is kept, unmodified, for {@link #backward}.
     */
    public float[] forward(float[] x, int m) {
        if (x.length < m * widths[0]) throw new IllegalArgumentException("input shorter than " + m + " rows");
        rows = m;
        acts[0] = x;
        for (int l = 1; l <= layers; l++) {
            int nIn = widths[l - 1], nOut = widths[l];
            float[] out = acts[l] = ensure(acts[l], m * nOut);
            openblas_nolapack.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, nOut, nIn,
                    1f, acts[l - 1], nIn, blocks[2 * (l - 1)], nIn, 0f, out, nOut);
            addBiasAndActivate(out, blocks[2 * (l - 1) + 1], m, nOut, l < layers);
        }
        return acts[layers];
    }

    /**
     * Gradients of a loss with respect to every parameter, given dLoss/dOutput (row-major m x
     * outputSize) for the inputs of the last {@link #forward}; they overwrite {@link #gradientBlocks()}.
     */
    public void backward(float[] dOut, int m) {
        if (m != rows) throw new IllegalStateException("backward over " + m + " rows after a forward over " + rows);
        int maxWidth = 0;
        for (int w : widths) maxWidth = Math.max(maxWidth, w);
        deltaA = ensure(deltaA, m * maxWidth);
        deltaB = ensure(deltaB, m * maxWidth);
        float[] delta = deltaA, next = deltaB;
        System.arraycopy(dOut, 0, delta, 0, m * widths[layers]);
        for (int l = layers; l >= 1; l--) {
            int nIn = widths[l - 1], nOut = widths[l];
            // dW^T (nOut x nIn) = delta^T (nOut x m) . A (m x nIn), which is DL4J's column-major dW
            openblas_nolapack.cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nOut, nIn, m,
                    1f, delta, nOut, acts[l - 1], nIn, 0f, grads[2 * (l - 1)], nIn);
            float[] gb = grads[2 * (l - 1) + 1];
            java.util.Arrays.fill(gb, 0f);
            for (int r = 0; r < m; r++) {
                int row = r * nOut;
                for (int j = 0; j < nOut; j++) gb[j] += delta[row + j];
            }
            if (l > 1) {
                // dA (m x nIn) = delta (m x nOut) . W^T-as-stored (nOut x nIn), then through the activation
                openblas_nolapack.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, nIn, nOut,
                        1f, delta, nOut, blocks[2 * (l - 1)], nIn, 0f, next, nIn);
                float[] a = acts[l - 1];
                int count = m * nIn;
                switch (activation) {
                    case RELU -> {
                        // Zero where the unit was off (a = +0 exactly; a >= 0 after ReLU), with a bit
                        // mask rather than a branch that mispredicts about half the time.
                        for (int k = 0; k < count; k++) {
                            int bits = Float.floatToRawIntBits(a[k]);
                            int on = (bits | -bits) >> 31; // -1 when a > 0, 0 when a = +0
                            next[k] = Float.intBitsToFloat(Float.floatToRawIntBits(next[k]) & on);
                        }
                    }
                    case TANH -> {
                        for (int k = 0; k < count; k++) next[k] *= 1f - a[k] * a[k];
                    }
                }
                float[] t = delta;
                delta = next;
                next = t;
            }
        }
    }

    private void addBiasAndActivate(float[] out, float[] bias, int m, int n, boolean hidden) {
        for (int r = 0; r < m; r++) {
            int row = r * n;
            for (int j = 0; j < n; j++) out[row + j] += bias[j];
        }
        if (!hidden) return;
        int count = m * n;
        switch (activation) {
            case RELU -> {
                for (int k = 0; k < count; k++) out[k] = Math.max(out[k], 0f); // branch-free
            }
            case TANH -> {
                for (int k = 0; k < count; k++) out[k] = tanh(out[k]);
            }
        }
    }

    /**
     * tanh to float precision through the intrinsic {@link Math#exp}: JDK 17's Math.tanh is a
     * native call per element and dominated CartPole's training profile.
     */
    static float tanh(float x) {
        return (float) (1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0));
    }

    private static float[] ensure(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }
}
