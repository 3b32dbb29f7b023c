package io.grpo.core.train;

/**
 * How long to train and when to evaluate.
 *
 * @param maxEnvSteps         training budget in environment steps (also the lr-annealing horizon)
 * @param evalEveryEnvSteps   greedy evaluation period in env steps (<= 0: only at the end)
 * @param evalEpisodes        episodes per greedy evaluation
 * @param solvedThreshold     mean greedy return that counts as solved (NaN: none)
 * @param stopWhenSolved      end training at the first evaluation that reaches the threshold
 */
public record TrainingOptions(long maxEnvSteps, long evalEveryEnvSteps, int evalEpisodes, double solvedThreshold,
                              boolean stopWhenSolved) {
    public TrainingOptions {
        if (maxEnvSteps < 1) throw new IllegalArgumentException("maxEnvSteps must be >= 1, got " + maxEnvSteps);
        if (evalEpisodes < 1) throw new IllegalArgumentException("evalEpisodes must be >= 1, got " + evalEpisodes);
    }
}
