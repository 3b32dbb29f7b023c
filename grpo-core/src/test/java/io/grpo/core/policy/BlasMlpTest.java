package io.grpo.core.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link BlasMlp}: forward equals DL4J's, backward equals finite differences. */
class BlasMlpTest {
    private static final int OBS = 6, ACTIONS = 4, ROWS = 9;

    private static float[] randomInputs(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) (2 * r.nextGaussian());
        return x;
    }

    @org.junit.jupiter.api.Test
    void tanhIsMathTanhToFloatPrecision() {
        for (double x = -30; x <= 30; x += 0.0137) {
            float f = (float) x;
            assertEquals(Math.tanh(f), BlasMlp.tanh(f), 2e-7, "tanh(" + f + ")");
        }
        assertEquals(0f, BlasMlp.tanh(0f));
        assertEquals(1f, BlasMlp.tanh(1000f));
        assertEquals(-1f, BlasMlp.tanh(-1000f));
    }

    @ParameterizedTest
    @EnumSource(HiddenActivation.class)
    void forwardMatchesDl4jOnRandomInputs(HiddenActivation activation) {
        ActorCritic net = ActorCritic.create(OBS, ACTIONS, List.of(10, 8), activation, 3, 0.2, 0, DataType.FLOAT);
        BlasMlp policy = new BlasMlp(BlasMlp.widths(OBS, net.hiddenSizes(), ACTIONS), activation);
        BlasMlp value = new BlasMlp(BlasMlp.widths(OBS, net.hiddenSizes(), 1), activation);
        float[] params = net.parameters();
        params[5] += 0.5f; // move off the tiny initial head so the outputs are not all near zero
        net.setParameters(params);
        value.load(params, policy.load(params, 0));
        assertEquals(params.length, policy.parameterCount() + value.parameterCount());

        float[] x = randomInputs(ROWS * OBS, 4);
        double[] logits = net.logits(net.input(x, ROWS)), values = net.values(net.input(x, ROWS));
        float[] z = policy.forward(x, ROWS);
        for (int k = 0; k < logits.length; k++) assertEquals(logits[k], z[k], 1e-5, "logit " + k);
        float[] v = value.forward(x, ROWS);
        for (int k = 0; k < ROWS; k++) assertEquals(values[k], v[k], 1e-5, "value " + k);
    }

    /** Gradient of L = sum_k c_k out_k against central differences (in double around float parameters). */
    @ParameterizedTest
    @EnumSource(HiddenActivation.class)
    void backwardMatchesFiniteDifferences(HiddenActivation activation) {
        int[] widths = {OBS, 7, 5, ACTIONS};
        BlasMlp mlp = new BlasMlp(widths, activation);
        Random r = new Random(21);
        float[] params = new float[mlp.parameterCount()];
        for (int i = 0; i < params.length; i++) params[i] = (float) (0.6 * r.nextGaussian());
        mlp.load(params, 0);
        float[] x = randomInputs(ROWS * OBS, 22);
        float[] c = randomInputs(ROWS * ACTIONS, 23);

        mlp.forward(x, ROWS);
        mlp.backward(c, ROWS);
        float[] analytic = new float[params.length];
        mlp.storeGradients(analytic, 0);

        float h = 1e-2f;
        int checked = 0;
        for (int p = 0; p < params.length; p++) {
            float orig = params[p];
            params[p] = orig + h;
            double up = weightedSum(mlp, params, x, c);
            params[p] = orig - h;
            double down = weightedSum(mlp, params, x, c);
            params[p] = orig;
            double numeric = (up - down) / (2 * h);
            // ReLU kinks inside [p - h, p + h] make the difference meaningless there; skip those rare ones
            if (activation == HiddenActivation.RELU && crossesKink(mlp, params, p, h, x)) continue;
            assertEquals(numeric, analytic[p], 2e-3 + 1e-2 * Math.abs(numeric), "dL/dparam[" + p + "]");
            checked++;
        }
        mlp.load(params, 0);
        assertEquals(true, checked > params.length * 0.9, "checked " + checked + " of " + params.length);
    }

    private static double weightedSum(BlasMlp mlp, float[] params, float[] x, float[] c) {
        mlp.load(params, 0);
        float[] out = mlp.forward(x, ROWS);
        double s = 0;
        for (int k = 0; k < c.length; k++) s += (double) c[k] * out[k];
        return s;
    }

    /** Whether moving parameter p by +-h flips the sign of any hidden pre-activation's ReLU. */
    private static boolean crossesKink(BlasMlp mlp, float[] params, int p, float h, float[] x) {
        float orig = params[p];
        params[p] = orig + h;
        float[] up = hiddenPattern(mlp, params, x);
        params[p] = orig - h;
        float[] down = hiddenPattern(mlp, params, x);
        params[p] = orig;
        return !java.util.Arrays.equals(up, down);
    }

    /** Signs of both hidden layers' pre-activations (single-layer BlasMlps have identity outputs). */
    private static float[] hiddenPattern(BlasMlp mlp, float[] params, float[] x) {
        BlasMlp first = new BlasMlp(new int[]{OBS, 7}, HiddenActivation.RELU);
        int next = first.load(params, 0);
        float[] z1 = first.forward(x, ROWS).clone();
        float[] a1 = new float[ROWS * 7];
        for (int k = 0; k < a1.length; k++) a1[k] = Math.max(0f, z1[k]);
        BlasMlp second = new BlasMlp(new int[]{7, 5}, HiddenActivation.RELU);
        second.load(params, next);
        float[] z2 = second.forward(a1, ROWS);
        float[] signs = new float[ROWS * 12];
        for (int k = 0; k < ROWS * 7; k++) signs[k] = Math.signum(z1[k]);
        for (int k = 0; k < ROWS * 5; k++) signs[ROWS * 7 + k] = Math.signum(z2[k]);
        return signs;
    }
}
