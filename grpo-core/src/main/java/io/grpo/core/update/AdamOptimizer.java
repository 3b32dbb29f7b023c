package io.grpo.core.update;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * ND4J's Adam applied to a network's whole flattened parameter vector, so the learner can
 * clip the global gradient norm first and checkpoint the moment estimates.
 */
public final class AdamOptimizer {
    private final MultiLayerNetwork net;
    private final Adam config;
    private final AdamUpdater updater;
    private final INDArray state;

    public AdamOptimizer(MultiLayerNetwork net, double learningRate, double epsilon) {
        this.net = net;
        this.config = new Adam(learningRate, Adam.DEFAULT_ADAM_BETA1_MEAN_DECAY, Adam.DEFAULT_ADAM_BETA2_VAR_DECAY, epsilon);
        long n = net.numParams();
        this.state = Nd4j.zeros(net.params().dataType(), 1, 2 * n);
        this.updater = new AdamUpdater(config);
        updater.setStateViewArray(state, new long[]{1, n}, 'c', true);
    }

    /**
     * Applies one Adam step to the network from the gradient currently in its gradient view.
     *
     * @param step 0-based count of steps taken so far (drives bias correction)
     */
    public void step(double learningRate, int step) {
        config.setLearningRate(learningRate);
        INDArray g = net.getGradientsViewArray();
        updater.applyUpdater(g, step, 0);
        INDArray params = net.params();
        params.subi(g.reshape(params.shape()));
    }

    /** Moment estimates [m, v] as one vector, for checkpoints. */
    public double[] state() {
        return NdArrays.rowMajor(state);
    }

    public void restore(double[] values) {
        if (values.length != state.length()) {
            throw new IllegalArgumentException("optimizer state has " + values.length + " values, expected " + state.length());
        }
        state.assign(Nd4j.createFromArray(values).reshape(state.shape()).castTo(state.dataType()));
    }
}
