package io.grpo.core.update;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The weighted PPO policy loss as a DL4J loss on the policy's logits:
 * {@code L = sum_i w_i l_i - sum_i e_i H_i}, where {@code l_i} is the clipped surrogate,
 * {@code w_i} the GRPO sample weight and {@code e_i} the entropy weight.
 *
 * <p>All per-sample data travels in the labels array, one row per sample:
 * {@code [action, advantage, behaviourLogProb, sampleWeight, entropyWeight]}.
 * Weights already sum to the intended normalisation, so the gradient is the plain
 * weighted sum (never divided by the batch size) and {@code average} is ignored.
 */
public final class PolicyLossFunction implements ILossFunction {
    private static final long serialVersionUID = 1L;

    public static final int LABEL_COLUMNS = 5;
    public static final int COL_ACTION = 0;
    public static final int COL_ADVANTAGE = 1;
    public static final int COL_BEHAVIOUR_LOGP = 2;
    public static final int COL_SAMPLE_WEIGHT = 3;
    public static final int COL_ENTROPY_WEIGHT = 4;

    private double clipEpsilon;

    /** For DL4J's JSON configuration round trip. */
    public PolicyLossFunction() {
        this(0.2);
    }

    public PolicyLossFunction(double clipEpsilon) {
        this.clipEpsilon = clipEpsilon;
    }

    public double getClipEpsilon() {
        return clipEpsilon;
    }

    public void setClipEpsilon(double clipEpsilon) {
        this.clipEpsilon = clipEpsilon;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        return evaluate(labels, activationFn.getActivation(preOutput.dup(), true), null);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray logits = activationFn.getActivation(preOutput.dup(), true);
        int n = (int) logits.rows();
        double[] perSample = new double[n];
        evaluate(labels, logits, null, perSample);
        return Nd4j.createFromArray(perSample).reshape(n, 1).castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray logits = activationFn.getActivation(preOutput.dup(), true);
        double[][] grad = new double[(int) logits.rows()][(int) logits.columns()];
        evaluate(labels, logits, grad);
        INDArray dLdLogits = Nd4j.createFromArray(grad).castTo(preOutput.dataType());
        return activationFn.backprop(preOutput.dup(), dLdLogits).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        return Pair.of(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "GrpoWeightedPpo";
    }

    private double evaluate(INDArray labels, INDArray logits, double[][] gradOut) {
        return evaluate(labels, logits, gradOut, null);
    }

    /** Loss value; fills dL/dlogits into {@code gradOut} and per-sample losses when non-null. */
    private double evaluate(INDArray labels, INDArray logits, double[][] gradOut, double[] perSample) {
        int n = (int) logits.rows();
        int a = (int) logits.columns();
        double[] z = NdArrays.rowMajor(logits);
        double[] lab = NdArrays.rowMajor(labels);
        int lc = (int) labels.columns();
        double[] logp = new double[a];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * lc;
            int action = (int) lab[row + COL_ACTION];
            double adv = lab[row + COL_ADVANTAGE];
            double behaviourLogp = lab[row + COL_BEHAVIOUR_LOGP];
            double w = lab[row + COL_SAMPLE_WEIGHT];
            double e = lab[row + COL_ENTROPY_WEIGHT];

            PpoMath.logSoftmax(z, i * a, a, logp);
            double ratio = Math.exp(logp[action] - behaviourLogp);
            double entropy = PpoMath.entropy(logp, a);
            double loss = w * PpoMath.surrogateLoss(ratio, adv, clipEpsilon) - e * entropy;
            total += loss;
            if (perSample != null) perSample[i] = loss;
            if (gradOut != null) {
                double dLdRatio = w * PpoMath.surrogateLossDRatio(ratio, adv, clipEpsilon);
                for (int k = 0; k < a; k++) {
                    double p = Math.exp(logp[k]);
                    double dLogpActionDz = (k == action ? 1.0 : 0.0) - p;
                    // d(-e H)/dz_k = e * p_k (log p_k + H)
                    gradOut[i][k] = dLdRatio * ratio * dLogpActionDz + e * p * (logp[k] + entropy);
                }
            }
        }
        return total;
    }
}
