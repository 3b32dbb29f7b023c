package io.grpo.core.env;

/**
 * One transition's outcome.
 *
 * @param observation the next observation (the terminal one when the episode ended)
 * @param reward      reward for the transition
 * @param terminated  the MDP reached a terminal state: do not bootstrap
 * @param truncated   the episode was cut by a time limit: bootstrap from {@code observation}
 * @param group       group label of the sample this action produced (info["group"])
 */
public record StepResult(double[] observation, double reward, boolean terminated, boolean truncated, int group) {
    public boolean done() {
        return terminated || truncated;
    }
}
