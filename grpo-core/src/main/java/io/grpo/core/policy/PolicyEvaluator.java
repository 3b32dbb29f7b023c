package io.grpo.core.policy;

/** Evaluates an actor-critic on a batch of (already normalised) observations. */
public interface PolicyEvaluator {
    int observationSize();

    int actionCount();

    /**
     * @param observations row-major n x observationSize
     * @param logits       receives n x actionCount logits, row-major (null: not needed)
     * @param values       receives n state values (null: not needed)
     */
    void evaluate(float[] observations, int n, double[] logits, double[] values);
}
