package io.grpo.core.update;

/**
 * A learner's full training state.
 *
 * @param version         updates applied so far
 * @param adamSteps       Adam steps taken (bias correction)
 * @param parameters      policy then value parameters
 * @param policyOptimizer Adam moments of the policy net
 * @param valueOptimizer  Adam moments of the value net
 * @param groupWeights    persistent Group DRO weights q_g
 */
public record LearnerState(long version, int adamSteps, float[] parameters, double[] policyOptimizer,
                           double[] valueOptimizer, double[] groupWeights) {
}
