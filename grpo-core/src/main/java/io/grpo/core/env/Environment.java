package io.grpo.core.env;

import java.util.List;

/**
 * A single-agent, discrete-action environment (Gymnasium semantics).
 *
 * <p>Lives in grpo-core rather than in {@code scenarios} because the single-process
 * trainer and the rollout collector depend on it, and the dependency arrow points
 * from scenarios to core.
 */
public interface Environment {

    /** Length of the observation vector. */
    int observationSize();

    /** Number of discrete actions. */
    int actionCount();

    /** Names of the groups that {@link StepResult#group()} indexes. */
    List<String> groupNames();

    /** Seeds the environment's random source and starts a new episode. */
    double[] reset(long seed);

    /** Starts a new episode, continuing the random source seeded by the last {@link #reset(long)}. */
    double[] reset();

    /** Applies an action; actions outside {@code [0, actionCount)} are an error. */
    StepResult step(int action);

    /**
     * Actions that can have an effect in the current state, as a bit set (bit k: action k).
     * Every action stays legal; the learner uses this for invalid-action masking. At least
     * one action must be valid. Default: all of them.
     */
    default long validActions() {
        return ActionMasks.all(actionCount());
    }
}
