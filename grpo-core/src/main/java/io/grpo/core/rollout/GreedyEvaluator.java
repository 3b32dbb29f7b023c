package io.grpo.core.rollout;

import io.grpo.core.env.ActionMasks;
import io.grpo.core.env.Environment;
import io.grpo.core.env.EnvironmentFactory;
import io.grpo.core.env.StepResult;
import io.grpo.core.policy.ActionSampler;
import io.grpo.core.policy.ActorCritic;
import io.grpo.core.policy.ObservationNormalizer;

/**
 * Plays N episodes with the greedy (arg-max) policy, all episodes side by side so each
 * step is one batched forward pass. Episode i uses seed {@code seed + i}.
 */
public final class GreedyEvaluator {
    private GreedyEvaluator() {}

    /** Undiscounted returns and lengths of the evaluation episodes. */
    public record Result(double[] returns, int[] lengths) {
        public double mean() {
            double s = 0;
            for (double r : returns) s += r;
            return s / returns.length;
        }

        public double std() {
            double m = mean(), s = 0;
            for (double r : returns) s += (r - m) * (r - m);
            return Math.sqrt(s / returns.length);
        }
    }

    /** Called when an evaluation episode ends, before its environment is discarded. */
    @FunctionalInterface
    public interface EpisodeObserver {
        void episodeEnded(int episode, Environment env, double returnValue);

        EpisodeObserver NONE = (episode, env, returnValue) -> { };
    }

    public static Result evaluate(EnvironmentFactory factory, ActorCritic policy, ObservationNormalizer normalizer,
                                  int episodes, long seed) {
        return evaluate(factory, policy, normalizer, episodes, seed, true, EpisodeObserver.NONE);
    }

    public static Result evaluate(EnvironmentFactory factory, ActorCritic policy, ObservationNormalizer normalizer,
                                  int episodes, long seed, boolean maskActions, EpisodeObserver observer) {
        if (episodes < 1) throw new IllegalArgumentException("need at least one evaluation episode");
        Environment[] envs = new Environment[episodes];
        double[][] obs = new double[episodes][];
        boolean[] done = new boolean[episodes];
        double[] returns = new double[episodes];
        int[] lengths = new int[episodes];
        for (int i = 0; i < episodes; i++) {
            envs[i] = factory.create();
            obs[i] = envs[i].reset(seed + i);
        }
        int d = envs[0].observationSize();
        int a = envs[0].actionCount();
        int[] active = new int[episodes];
        int[] chosen = new int[episodes];
        long[] masks = new long[episodes];
        int live = episodes;
        while (live > 0) {
            int n = 0;
            float[] input = new float[live * d];
            for (int i = 0; i < episodes; i++) {
                if (!done[i]) {
                    normalizer.normalize(obs[i], input, n * d);
                    masks[n] = maskActions ? envs[i].validActions() : ActionMasks.all(a);
                    active[n++] = i;
                }
            }
            double[] logits = policy.logits(policy.input(input, n));
            ActionSampler.greedy(logits, n, a, masks, chosen);
            for (int x = 0; x < n; x++) {
                int i = active[x];
                StepResult r = envs[i].step(chosen[x]);
                returns[i] += r.reward();
                lengths[i]++;
                obs[i] = r.observation();
                if (r.done()) {
                    done[i] = true;
                    live--;
                    observer.episodeEnded(i, envs[i], returns[i]);
                }
            }
        }
        return new Result(returns, lengths);
    }
}
