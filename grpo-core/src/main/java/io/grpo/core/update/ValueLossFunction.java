package io.grpo.core.update;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * PPO's value loss {@code sum_i c_i * 0.5 * max((v-R)^2, (v_clip-R)^2)} with
 * {@code v_clip = v_old + clip(v - v_old, -eps, eps)}; unclipped when {@code clipRange <= 0}.
 *
 * <p>Labels, one row per sample: {@code [return, behaviourValue, weight]}, where the
 * weight already carries the value coefficient and the 1/N of the mean.
 */
public final class ValueLossFunction implements ILossFunction {
    private static final long serialVersionUID = 1L;

    public static final int LABEL_COLUMNS = 3;
    public static final int COL_RETURN = 0;
    public static final int COL_BEHAVIOUR_VALUE = 1;
    public static final int COL_WEIGHT = 2;

    private double clipRange;

    public ValueLossFunction() {
        this(0.0);
    }

    public ValueLossFunction(double clipRange) {
        this.clipRange = clipRange;
    }

    public double getClipRange() {
        return clipRange;
    }

    public void setClipRange(double clipRange) {
        this.clipRange = clipRange;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        return evaluate(labels, OutputActivation.apply(preOutput, activationFn), null);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        throw new UnsupportedOperationException("per-sample value losses are not used");
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] grad = new double[(int) preOutput.rows()];
        evaluate(labels, OutputActivation.apply(preOutput, activationFn), grad);
        INDArray dLdv = NdArrays.create(grad, grad.length, 1, preOutput.dataType());
        return OutputActivation.backprop(preOutput, activationFn, dLdv);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        return Pair.of(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "GrpoValue";
    }

    private double evaluate(INDArray labels, double[] v, double[] gradOut) {
        double[] lab = NdArrays.rowMajor(labels);
        int lc = (int) labels.columns();
        int n = v.length;
        double[] returns = new double[n], old = new double[n], weights = new double[n];
        for (int i = 0; i < n; i++) {
            returns[i] = lab[i * lc + COL_RETURN];
            old[i] = lab[i * lc + COL_BEHAVIOUR_VALUE];
            weights[i] = lab[i * lc + COL_WEIGHT];
        }
        return lossAndGradient(v, n, returns, old, weights, clipRange, gradOut);
    }

    /**
     * {@code sum_i c_i * 0.5 * max((v-R)^2, (v_clip-R)^2)} over plain arrays, shared by every
     * learner backend; fills dL/dv into {@code gradOut} when non-null.
     */
    public static double lossAndGradient(double[] v, int n, double[] returns, double[] behaviourValues,
                                         double[] weights, double clipRange, double[] gradOut) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double ret = returns[i];
            double old = behaviourValues[i];
            double c = weights[i];
            double err = v[i] - ret;
            double loss = err * err;
            double dLossDv = 2 * err;
            if (clipRange > 0) {
                double delta = v[i] - old;
                double clippedDelta = Math.max(-clipRange, Math.min(clipRange, delta));
                double errClipped = old + clippedDelta - ret;
                if (errClipped * errClipped > loss) {
                    loss = errClipped * errClipped;
                    dLossDv = Math.abs(delta) < clipRange ? 2 * errClipped : 0.0;
                }
            }
            total += 0.5 * c * loss;
            if (gradOut != null) gradOut[i] = 0.5 * c * dLossDv;
        }
        return total;
    }
}
