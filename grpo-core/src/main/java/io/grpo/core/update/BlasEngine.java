package io.grpo.core.update;

import io.grpo.core.policy.ActorCritic;
import io.grpo.core.policy.BlasMlp;

import java.util.Arrays;

/**
 * The learner on plain float arrays ({@code learner_backend = BLAS}): {@link BlasMlp}
 * forward/backward (OpenBLAS sgemm) and {@link FloatAdam}. Parameters are read from the
 * {@link ActorCritic} when an update begins and written back when it ends, so the DL4J nets
 * stay the one place the rest of the system reads weights from.
 */
final class BlasEngine implements GradientEngine {
    private final ActorCritic net;
    private final BlasMlp policy;
    private final BlasMlp value;
    private final FloatAdam policyAdam;
    private final FloatAdam valueAdam;
    private final int actions;
    private double[] logits = new double[0];

    BlasEngine(ActorCritic net, double adamEpsilon) {
        this.net = net;
        this.actions = net.actionCount();
        this.policy = new BlasMlp(BlasMlp.widths(net.observationSize(), net.hiddenSizes(), actions), net.activation());
        this.value = new BlasMlp(BlasMlp.widths(net.observationSize(), net.hiddenSizes(), 1), net.activation());
        this.policyAdam = new FloatAdam(policy.parameterCount(), adamEpsilon);
        this.valueAdam = new FloatAdam(value.parameterCount(), adamEpsilon);
        beginUpdate();
    }

    @Override
    public void beginUpdate() {
        float[] all = net.parameters();
        value.load(all, policy.load(all, 0));
    }

    @Override
    public double[] logits(Minibatch x) {
        int n = x.size * actions;
        float[] out = policy.forward(x.observations, x.size);
        double[] z = new double[n];
        for (int k = 0; k < n; k++) z[k] = out[k];
        logits = z;
        return z.clone();
    }

    @Override
    public double computeGradients(Minibatch x, double[] sampleWeights, double entropyWeight, double valueCoef) {
        int m = x.size;
        double[] dz = new double[m * actions];
        double[] entropyWeights = new double[m];
        Arrays.fill(entropyWeights, entropyWeight);
        PolicyLossFunction.lossAndGradient(logits, m, actions, x.actions, x.advantages, x.behaviourLogProbs,
                sampleWeights, entropyWeights, x.actionMasks, net.clipEpsilon(), dz, null);
        policy.backward(toFloat(dz, 1.0), m);

        float[] vOut = value.forward(x.observations, m);
        double[] v = new double[m];
        for (int i = 0; i < m; i++) v[i] = vOut[i];
        double[] weights = new double[m];
        Arrays.fill(weights, 1.0 / m);
        double[] dv = new double[m];
        double valueLoss = ValueLossFunction.lossAndGradient(v, m, x.returns, x.behaviourValues, weights,
                net.valueClipRange(), dv);
        value.backward(toFloat(dv, valueCoef), m);
        return valueLoss;
    }

    private static float[] toFloat(double[] d, double scale) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) (d[i] * scale);
        return f;
    }

    @Override
    public double gradientNorm() {
        double s = 0;
        for (BlasMlp mlp : new BlasMlp[]{policy, value}) {
            for (float[] g : mlp.gradientBlocks()) for (float x : g) s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    @Override
    public void scaleGradients(double factor) {
        float f = (float) factor;
        for (BlasMlp mlp : new BlasMlp[]{policy, value}) {
            for (float[] g : mlp.gradientBlocks()) for (int i = 0; i < g.length; i++) g[i] *= f;
        }
    }

    @Override
    public void adamStep(double learningRate, int step) {
        policyAdam.step(policy.parameterBlocks(), policy.gradientBlocks(), learningRate, step);
        valueAdam.step(value.parameterBlocks(), value.gradientBlocks(), learningRate, step);
    }

    @Override
    public void endUpdate() {
        float[] all = new float[policy.parameterCount() + value.parameterCount()];
        value.store(all, policy.store(all, 0));
        net.setParameters(all);
    }

    @Override
    public float[] gradients() {
        float[] all = new float[policy.parameterCount() + value.parameterCount()];
        value.storeGradients(all, policy.storeGradients(all, 0));
        return all;
    }

    @Override
    public double[] policyOptimizerState() {
        return policyAdam.state();
    }

    @Override
    public double[] valueOptimizerState() {
        return valueAdam.state();
    }

    @Override
    public void restoreOptimizerState(double[] p, double[] v) {
        policyAdam.restore(p);
        valueAdam.restore(v);
    }
}
