package io.grpo.core.update;

/**
 * The part of a GRPO minibatch step that touches the networks: forward pass, gradients of the
 * weighted policy loss and the value loss, global-norm clip, Adam. The loss maths
 * ({@link PolicyLossFunction#lossAndGradient}, {@link ValueLossFunction#lossAndGradient}) and
 * everything else in {@link GrpoLearner} is shared by both implementations.
 */
interface GradientEngine {
    /** Before an update's first minibatch: pick up the net's current parameters. */
    void beginUpdate();

    /** Policy logits, row-major m x actions; the engine may keep activations for {@link #computeGradients}. */
    double[] logits(Minibatch x);

    /**
     * Gradients of {@code sum_i w_i l_i - entropyWeight * sum_i H_i} (policy) and of
     * {@code valueCoef} times the value loss, for the minibatch of the last {@link #logits} call.
     *
     * @return the value loss, {@code mean_i 0.5 * err_i^2} (before {@code valueCoef})
     */
    double computeGradients(Minibatch x, double[] sampleWeights, double entropyWeight, double valueCoef);

    /** L2 norm over both networks' gradients. */
    double gradientNorm();

    void scaleGradients(double factor);

    /** One Adam step on both networks from their gradients. */
    void adamStep(double learningRate, int step);

    /** After the last minibatch: make the updated parameters the net's. */
    void endUpdate();

    /** Both networks' current gradients, policy then value, in {@code ActorCritic.parameters()} order. */
    float[] gradients();

    double[] policyOptimizerState();

    double[] valueOptimizerState();

    void restoreOptimizerState(double[] policy, double[] value);
}
