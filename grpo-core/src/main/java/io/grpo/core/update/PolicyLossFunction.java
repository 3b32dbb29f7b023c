package io.grpo.core.update;

import io.grpo.core.env.ActionMasks;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The weighted PPO policy loss as a DL4J loss on the policy's logits:
 * {@code L = sum_i w_i l_i - sum_i e_i H_i}, where {@code l_i} is the clipped surrogate,
 * {@code w_i} the GRPO sample weight and {@code e_i} the entropy weight.
 *
 * <p>All per-sample data travels in the labels array, one row per sample:
 * {@code [action, advantage, behaviourLogProb, sampleWeight, entropyWeight, validActionMask]}; the
 * mask (a bit set per valid action, exact in a double up to 52 actions) restricts the
 * softmax to the actions the behaviour policy could choose.
 * Weights already sum to the intended normalisation, so the gradient is the plain
 * weighted sum (never divided by the batch size) and {@code average} is ignored.
 */
public final class PolicyLossFunction implements ILossFunction {
    private static final long serialVersionUID = 1L;

    public static final int LABEL_COLUMNS = 6;
    public static final int COL_ACTION = 0;
    public static final int COL_ADVANTAGE = 1;
    public static final int COL_BEHAVIOUR_LOGP = 2;
    public static final int COL_SAMPLE_WEIGHT = 3;
    public static final int COL_ENTROPY_WEIGHT = 4;
    public static final int COL_ACTION_MASK = 5;

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
        return evaluate(labels, OutputActivation.apply(preOutput, activationFn), null, null);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        int n = (int) preOutput.rows();
        double[] perSample = new double[n];
        evaluate(labels, OutputActivation.apply(preOutput, activationFn), null, perSample);
        return NdArrays.create(perSample, n, 1, preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] grad = new double[(int) preOutput.length()];
        evaluate(labels, OutputActivation.apply(preOutput, activationFn), grad, null);
        INDArray dLdLogits = NdArrays.create(grad, preOutput.rows(), preOutput.columns(), preOutput.dataType());
        return OutputActivation.backprop(preOutput, activationFn, dLdLogits);
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

    /** Loss value; fills row-major dL/dlogits into {@code gradOut} and per-sample losses when non-null. */
    private double evaluate(INDArray labels, double[] z, double[] gradOut, double[] perSample) {
        int n = (int) labels.rows();
        double[] lab = NdArrays.rowMajor(labels);
        int lc = (int) labels.columns();
        int[] actions = new int[n];
        double[] adv = new double[n], behaviourLogp = new double[n], w = new double[n], e = new double[n];
        long[] masks = new long[n];
        for (int i = 0; i < n; i++) {
            int row = i * lc;
            actions[i] = (int) lab[row + COL_ACTION];
            adv[i] = lab[row + COL_ADVANTAGE];
            behaviourLogp[i] = lab[row + COL_BEHAVIOUR_LOGP];
            w[i] = lab[row + COL_SAMPLE_WEIGHT];
            e[i] = lab[row + COL_ENTROPY_WEIGHT];
            masks[i] = (long) lab[row + COL_ACTION_MASK];
        }
        return lossAndGradient(z, n, z.length / n, actions, adv, behaviourLogp, w, e, masks, clipEpsilon, gradOut,
                perSample);
    }

    /**
     * The weighted loss {@code sum_i w_i l_i - e_i H_i} on row-major logits {@code z} (n x a), in
     * plain arrays so every learner backend shares it; fills dL/dz into {@code gradOut} and the
     * per-sample losses into {@code perSample} when non-null.
     */
    public static double lossAndGradient(double[] z, int n, int a, int[] actions, double[] advantages,
                                         double[] behaviourLogProbs, double[] sampleWeights, double[] entropyWeights,
                                         long[] masks, double clipEpsilon, double[] gradOut, double[] perSample) {
        double[] logp = new double[a];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int action = actions[i];
            double adv = advantages[i];
            double w = sampleWeights[i];
            double e = entropyWeights[i];
            long mask = masks[i];

            PpoMath.logSoftmax(z, i * a, a, mask, logp);
            double ratio = Math.exp(logp[action] - behaviourLogProbs[i]);
            double entropy = PpoMath.entropy(logp, a);
            double loss = w * PpoMath.surrogateLoss(ratio, adv, clipEpsilon) - e * entropy;
            total += loss;
            if (perSample != null) perSample[i] = loss;
            if (gradOut != null) {
                double dLdRatio = w * PpoMath.surrogateLossDRatio(ratio, adv, clipEpsilon);
                for (int k = 0; k < a; k++) {
                    if (!ActionMasks.isValid(mask, k)) {
                        gradOut[i * a + k] = 0; // a masked logit does not enter the loss
                        continue;
                    }
                    double p = Math.exp(logp[k]);
                    double dLogpActionDz = (k == action ? 1.0 : 0.0) - p;
                    // d(-e H)/dz_k = e * p_k (log p_k + H)
                    gradOut[i * a + k] = dLdRatio * ratio * dLogpActionDz + e * p * (logp[k] + entropy);
                }
            }
        }
        return total;
    }
}
