package io.grpo.core.policy;

import java.util.List;

/**
 * The actor-critic's forward pass in plain Java on a snapshot of its parameters, for
 * rollouts: ND4J pays a fixed cost per operation that dominates on these small networks
 * (about 1 ms for a 16-row batch here), while the loops below cost microseconds. From
 * {@link #BLAS_MIN_ROWS} rows on, the matrix products go to OpenBLAS through {@link BlasMlp}
 * (several times faster at a worker's 16 rows); a single row stays in the loops, where a
 * native call costs more than it saves. A test checks the outputs match DL4J's to 1e-5.
 *
 * <p>Parameters are read in {@link ActorCritic#parameters()} order: the policy net then the
 * value net, each layer's weights (nIn x nOut, column-major as DL4J stores them) then biases.
 */
public final class DenseForward implements PolicyEvaluator {
    private final int observationSize;
    private final int actionCount;
    private final int[] policyWidths;
    private final int[] valueWidths;
    private final HiddenActivation activation;
    private final float[] parameters;
    private final int valueOffset;
    /** Batches at least this big use {@link BlasMlp}. */
    static final int BLAS_MIN_ROWS = 4;
    private final BlasMlp policyBlas;
    private final BlasMlp valueBlas;
    private float[] a = new float[0];
    private float[] b = new float[0];

    public DenseForward(int observationSize, int actionCount, List<Integer> hiddenSizes, HiddenActivation activation) {
        this.observationSize = observationSize;
        this.actionCount = actionCount;
        this.activation = activation;
        this.policyWidths = widths(observationSize, hiddenSizes, actionCount);
        this.valueWidths = widths(observationSize, hiddenSizes, 1);
        this.valueOffset = count(policyWidths);
        this.parameters = new float[valueOffset + count(valueWidths)];
        this.policyBlas = new BlasMlp(policyWidths, activation);
        this.valueBlas = new BlasMlp(valueWidths, activation);
    }

    /** A snapshot of the net's current parameters. */
    public static DenseForward of(ActorCritic net) {
        DenseForward f = new DenseForward(net.observationSize(), net.actionCount(), net.hiddenSizes(), net.activation());
        f.load(net.parameters());
        return f;
    }

    /** Replaces the parameters with a vector from {@link ActorCritic#parameters()} of the same shape. */
    public void load(float[] all) {
        if (all.length != parameters.length) {
            throw new IllegalArgumentException("parameter vector has " + all.length + " values, this net has " + parameters.length);
        }
        System.arraycopy(all, 0, parameters, 0, all.length);
        valueBlas.load(all, policyBlas.load(all, 0));
    }

    public int parameterCount() {
        return parameters.length;
    }

    @Override
    public int observationSize() {
        return observationSize;
    }

    @Override
    public int actionCount() {
        return actionCount;
    }

    @Override
    public void evaluate(float[] observations, int n, double[] logits, double[] values) {
        if (n >= BLAS_MIN_ROWS) {
            if (logits != null) copy(policyBlas.forward(observations, n), logits, n * actionCount);
            if (values != null) copy(valueBlas.forward(observations, n), values, n);
            return;
        }
        for (int row = 0; row < n; row++) {
            if (logits != null) forward(observations, row, policyWidths, 0, logits, row * actionCount);
            if (values != null) forward(observations, row, valueWidths, valueOffset, values, row);
        }
    }

    private static void copy(float[] from, double[] to, int count) {
        for (int k = 0; k < count; k++) to[k] = from[k];
    }

    private void forward(float[] obs, int row, int[] widths, int offset, double[] out, int outOffset) {
        int in = widths[0];
        ensure(maxWidth(widths));
        System.arraycopy(obs, row * in, a, 0, in);
        int p = offset;
        float[] x = a, y = b;
        for (int layer = 1; layer < widths.length; layer++) {
            int nIn = widths[layer - 1], nOut = widths[layer];
            int bias = p + nIn * nOut;
            boolean hidden = layer < widths.length - 1;
            for (int j = 0; j < nOut; j++) {
                int w = p + j * nIn; // column j of the column-major nIn x nOut matrix
                float s = 0f;
                for (int i = 0; i < nIn; i++) s += x[i] * parameters[w + i];
                s += parameters[bias + j];
                y[j] = hidden ? activate(s) : s;
            }
            p = bias + nOut;
            float[] t = x;
            x = y;
            y = t;
        }
        int last = widths[widths.length - 1];
        for (int j = 0; j < last; j++) out[outOffset + j] = x[j];
    }

    private float activate(float s) {
        return switch (activation) {
            case RELU -> s > 0f ? s : 0f;
            case TANH -> BlasMlp.tanh(s);
        };
    }

    private void ensure(int width) {
        if (a.length < width) {
            a = new float[width];
            b = new float[width];
        }
    }

    private static int[] widths(int in, List<Integer> hidden, int out) {
        int[] w = new int[hidden.size() + 2];
        w[0] = in;
        for (int i = 0; i < hidden.size(); i++) w[i + 1] = hidden.get(i);
        w[w.length - 1] = out;
        return w;
    }

    private static int count(int[] widths) {
        int c = 0;
        for (int i = 1; i < widths.length; i++) c += widths[i - 1] * widths[i] + widths[i];
        return c;
    }

    private static int maxWidth(int[] widths) {
        int m = 0;
        for (int w : widths) m = Math.max(m, w);
        return m;
    }
}
