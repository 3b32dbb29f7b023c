package io.grpo.core.rollout;

/**
 * Generalised Advantage Estimation over one environment copy's time series.
 *
 * <p>{@code delta_t = r_t + gamma * V(s_{t+1}) * (1 - terminated_t) - V(s_t)} and
 * {@code A_t = delta_t + gamma * lambda * (1 - done_t) * A_{t+1}}: a truncated episode
 * still bootstraps from the value of its true last state, a terminated one does not, and
 * neither lets the trace run into the next episode.
 */
public final class Gae {
    private Gae() {}

    /**
     * @param rewards     r_t
     * @param values      V(s_t)
     * @param nextValues  V(s_{t+1}) of the true next state (the terminal observation when the
     *                    episode ended at t; the state after the rollout at the last step)
     * @param terminated  s_{t+1} is terminal
     * @param episodeEnd  the episode ended at t (terminated or truncated)
     * @param advantagesOut receives A_t
     */
    public static void compute(float[] rewards, float[] values, float[] nextValues, boolean[] terminated,
                               boolean[] episodeEnd, double gamma, double lambda, float[] advantagesOut) {
        double next = 0;
        for (int t = rewards.length - 1; t >= 0; t--) {
            double bootstrap = terminated[t] ? 0.0 : gamma * nextValues[t];
            double delta = rewards[t] + bootstrap - values[t];
            double carry = episodeEnd[t] ? 0.0 : gamma * lambda * next;
            next = delta + carry;
            advantagesOut[t] = (float) next;
        }
    }
}
