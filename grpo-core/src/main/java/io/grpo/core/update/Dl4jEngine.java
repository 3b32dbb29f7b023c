package io.grpo.core.update;

import io.grpo.core.policy.ActorCritic;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J backprop through the nets' custom output-layer losses and ND4J's Adam: the reference
 * backend ({@code learner_backend = DL4J}).
 */
final class Dl4jEngine implements GradientEngine {
    private final ActorCritic net;
    private final AdamOptimizer policyAdam;
    private final AdamOptimizer valueAdam;
    private INDArray input;

    Dl4jEngine(ActorCritic net, double learningRate, double adamEpsilon) {
        this.net = net;
        this.policyAdam = new AdamOptimizer(net.policyNet(), learningRate, adamEpsilon);
        this.valueAdam = new AdamOptimizer(net.valueNet(), learningRate, adamEpsilon);
    }

    @Override
    public void beginUpdate() {
    }

    @Override
    public double[] logits(Minibatch x) {
        input = net.input(x.observations, x.size);
        return net.logits(input);
    }

    @Override
    public double computeGradients(Minibatch x, double[] sampleWeights, double entropyWeight, double valueCoef) {
        backprop(net.policyNet(), policyLabels(x, sampleWeights, entropyWeight));
        // DL4J reports the output layer's loss divided by the minibatch size; undo that.
        double valueLoss = backprop(net.valueNet(), valueLabels(x)) * x.size;
        net.valueNet().getGradientsViewArray().muli(valueCoef);
        return valueLoss;
    }

    private INDArray policyLabels(Minibatch x, double[] w, double entropyWeight) {
        int m = x.size;
        int c = PolicyLossFunction.LABEL_COLUMNS;
        double[] labels = new double[m * c];
        for (int i = 0; i < m; i++) {
            labels[i * c + PolicyLossFunction.COL_ACTION] = x.actions[i];
            labels[i * c + PolicyLossFunction.COL_ADVANTAGE] = x.advantages[i];
            labels[i * c + PolicyLossFunction.COL_BEHAVIOUR_LOGP] = x.behaviourLogProbs[i];
            labels[i * c + PolicyLossFunction.COL_SAMPLE_WEIGHT] = w[i];
            labels[i * c + PolicyLossFunction.COL_ENTROPY_WEIGHT] = entropyWeight;
            labels[i * c + PolicyLossFunction.COL_ACTION_MASK] = x.actionMasks[i];
        }
        return NdArrays.create(labels, m, c, input.dataType());
    }

    private INDArray valueLabels(Minibatch x) {
        int m = x.size;
        int c = ValueLossFunction.LABEL_COLUMNS;
        double weight = 1.0 / m; // the value coefficient scales the gradient afterwards
        double[] labels = new double[m * c];
        for (int i = 0; i < m; i++) {
            labels[i * c + ValueLossFunction.COL_RETURN] = x.returns[i];
            labels[i * c + ValueLossFunction.COL_BEHAVIOUR_VALUE] = x.behaviourValues[i];
            labels[i * c + ValueLossFunction.COL_WEIGHT] = weight;
        }
        return NdArrays.create(labels, m, c, input.dataType());
    }

    /** Backprop of the net's output-layer loss; leaves the gradient in its gradient view, returns the loss. */
    private double backprop(MultiLayerNetwork model, INDArray labels) {
        model.setInput(input);
        model.setLabels(labels);
        model.computeGradientAndScore();
        return model.score();
    }

    @Override
    public double gradientNorm() {
        double np = net.policyNet().getGradientsViewArray().norm2Number().doubleValue();
        double nv = net.valueNet().getGradientsViewArray().norm2Number().doubleValue();
        return Math.sqrt(np * np + nv * nv);
    }

    @Override
    public void scaleGradients(double factor) {
        net.policyNet().getGradientsViewArray().muli(factor);
        net.valueNet().getGradientsViewArray().muli(factor);
    }

    @Override
    public void adamStep(double learningRate, int step) {
        policyAdam.step(learningRate, step);
        valueAdam.step(learningRate, step);
    }

    @Override
    public void endUpdate() {
        input = null;
        net.parametersChanged(); // Adam changed them in place
    }

    @Override
    public float[] gradients() {
        float[] p = NdArrays.rowMajorFloat(net.policyNet().getGradientsViewArray());
        float[] v = NdArrays.rowMajorFloat(net.valueNet().getGradientsViewArray());
        float[] all = new float[p.length + v.length];
        System.arraycopy(p, 0, all, 0, p.length);
        System.arraycopy(v, 0, all, p.length, v.length);
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
    public void restoreOptimizerState(double[] policy, double[] value) {
        policyAdam.restore(policy);
        valueAdam.restore(value);
    }
}
