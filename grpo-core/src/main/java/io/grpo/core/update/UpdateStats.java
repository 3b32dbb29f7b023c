package io.grpo.core.update;

/**
 * What one GRPO update did (means over its minibatch steps unless stated otherwise).
 *
 * @param version           policy version after the update
 * @param samples           samples in the batch
 * @param minibatchSteps    Adam steps taken (fewer than planned if target KL stopped it)
 * @param learningRate      step size used
 * @param policyLoss        the GRPO objective sum_i w_i l_i (without the entropy term)
 * @param valueLoss         0.5 * mean squared (possibly clipped) value error
 * @param entropy           mean policy entropy
 * @param approxKl          mean of (r - 1) - log r, Schulman's low-variance KL estimate
 * @param clipFraction      share of samples whose ratio left [1-eps, 1+eps]
 * @param explainedVariance 1 - Var(R - V) / Var(R) of the behaviour values
 * @param gradNorm          mean global gradient norm before clipping
 * @param groupSamples      samples per group in the batch
 * @param groupLoss         mean surrogate loss per group (NaN for an absent group)
 * @param groupWeight       mean robust weight q_g applied per group
 */
public record UpdateStats(long version, int samples, int minibatchSteps, double learningRate, double policyLoss,
                          double valueLoss, double entropy, double approxKl, double clipFraction,
                          double explainedVariance, double gradNorm, int[] groupSamples, double[] groupLoss,
                          double[] groupWeight) {
}
