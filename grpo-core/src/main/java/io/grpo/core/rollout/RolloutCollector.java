package io.grpo.core.rollout;

import io.grpo.core.env.ActionMasks;
import io.grpo.core.env.VectorEnv;
import io.grpo.core.policy.ActionSampler;
import io.grpo.core.policy.PolicyEvaluator;
import io.grpo.core.policy.ObservationNormalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs the behaviour policy on K environment copies for T steps, one batched forward pass
 * per step, and turns the trajectories into a learner-ready {@link SampleBatch} with GAE.
 */
public final class RolloutCollector {
    private final VectorEnv envs;
    private final PolicyEvaluator policy;
    private final ObservationNormalizer normalizer;
    private final boolean updateNormalizer;
    private final SplittableRandom rng;
    private final double rewardScale;
    private final boolean maskActions;
    private final double gamma;
    private final double gaeLambda;

    /**
     * One rollout's samples, the episodes that finished during it, and what a remote learner
     * needs besides: the environment's own rewards and episode ends per sample, and the
     * moments of the raw observations (null when normalisation is off).
     */
    public record Rollout(SampleBatch batch, List<VectorEnv.Episode> episodes, float[] rewards, boolean[] terminated,
                          boolean[] truncated, ObservationNormalizer.State rawMoments, long inferenceNanos) {}

    /**
     * @param updateNormalizer fold observed states into the normaliser's running statistics
     * @param rewardScale      multiplies rewards before GAE
     * @param maskActions      sample only among the environment's valid actions
     */
    public RolloutCollector(VectorEnv envs, PolicyEvaluator policy, ObservationNormalizer normalizer,
                            boolean updateNormalizer, long seed, double rewardScale, double gamma, double gaeLambda,
                            boolean maskActions) {
        this.envs = envs;
        this.policy = policy;
        this.normalizer = normalizer;
        this.updateNormalizer = updateNormalizer;
        this.rng = new SplittableRandom(seed);
        this.rewardScale = rewardScale;
        this.maskActions = maskActions;
        this.gamma = gamma;
        this.gaeLambda = gaeLambda;
    }

    public VectorEnv envs() {
        return envs;
    }

    public Rollout collect(int steps) {
        int k = envs.size();
        int d = envs.observationSize();
        int a = envs.actionCount();
        float[] obs = new float[steps * k * d];
        int[] actions = new int[steps * k];
        float[] logProbs = new float[steps * k];
        float[] values = new float[steps * k];
        float[] rewards = new float[steps * k];
        boolean[] terminated = new boolean[steps * k];
        boolean[] ended = new boolean[steps * k];
        boolean[] truncated = new boolean[steps * k];
        float[] envRewards = new float[steps * k];
        ObservationNormalizer.State moments = null;
        long inferenceNanos = 0;
        int[] groups = new int[steps * k];
        long[] masks = new long[steps * k];
        List<Integer> truncatedAt = new ArrayList<>();
        List<float[]> truncatedObs = new ArrayList<>();
        List<VectorEnv.Episode> episodes = new ArrayList<>();

        int[] stepActions = new int[k];
        long[] stepMasks = new long[k];
        float[] stepLogProbs = new float[k];
        double[] logits = new double[k * a];
        double[] v = new double[k];
        double[][] raw = new double[k][];
        for (int t = 0; t < steps; t++) {
            int row = t * k;
            for (int i = 0; i < k; i++) raw[i] = envs.observation(i);
            if (normalizer.enabled()) {
                ObservationNormalizer.State step = ObservationNormalizer.moments(raw);
                moments = ObservationNormalizer.combine(moments, step);
                if (updateNormalizer) normalizer.merge(step);
            }
            for (int i = 0; i < k; i++) normalizer.normalize(raw[i], obs, (row + i) * d);

            float[] stepObs = java.util.Arrays.copyOfRange(obs, row * d, (row + k) * d);
            long t0 = CpuClock.nanos();
            policy.evaluate(stepObs, k, logits, v);
            inferenceNanos += CpuClock.nanos() - t0;
            for (int i = 0; i < k; i++) stepMasks[i] = maskActions ? envs.validActions(i) : ActionMasks.all(a);
            ActionSampler.sample(logits, k, a, stepMasks, rng, stepActions, stepLogProbs);

            envs.step(stepActions);
            for (int i = 0; i < k; i++) {
                int j = row + i;
                actions[j] = stepActions[i];
                logProbs[j] = stepLogProbs[i];
                values[j] = (float) v[i];
                envRewards[j] = (float) envs.reward(i);
                rewards[j] = (float) (envs.reward(i) * rewardScale);
                truncated[j] = envs.truncated(i) && !envs.terminated(i);
                terminated[j] = envs.terminated(i);
                ended[j] = envs.terminated(i) || envs.truncated(i);
                groups[j] = envs.group(i);
                masks[j] = stepMasks[i];
                if (envs.truncated(i) && !envs.terminated(i)) {
                    float[] f = new float[d];
                    normalizer.normalize(envs.finalObservation(i), f, 0);
                    truncatedAt.add(j);
                    truncatedObs.add(f);
                }
            }
            episodes.addAll(envs.finishedEpisodes());
        }

        // Values of the states the rollout ends in, and of truncated episodes' last states.
        float[] lastObs = new float[k * d];
        for (int i = 0; i < k; i++) normalizer.normalize(envs.observation(i), lastObs, i * d);
        long t1 = CpuClock.nanos();
        double[] lastValues = new double[k];
        policy.evaluate(lastObs, k, null, lastValues);
        inferenceNanos += CpuClock.nanos() - t1;
        float[] nextValues = new float[steps * k];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < k; i++) {
                int j = t * k + i;
                nextValues[j] = t == steps - 1 ? (float) lastValues[i] : values[j + k];
            }
        }
        if (!truncatedAt.isEmpty()) {
            float[] tObs = new float[truncatedAt.size() * d];
            for (int x = 0; x < truncatedAt.size(); x++) System.arraycopy(truncatedObs.get(x), 0, tObs, x * d, d);
            double[] tValues = new double[truncatedAt.size()];
            policy.evaluate(tObs, truncatedAt.size(), null, tValues);
            for (int x = 0; x < truncatedAt.size(); x++) nextValues[truncatedAt.get(x)] = (float) tValues[x];
        }

        float[] advantages = new float[steps * k];
        float[] returns = new float[steps * k];
        float[] r = new float[steps], vv = new float[steps], nv = new float[steps], adv = new float[steps];
        boolean[] term = new boolean[steps], end = new boolean[steps];
        for (int i = 0; i < k; i++) {
            for (int t = 0; t < steps; t++) {
                int j = t * k + i;
                r[t] = rewards[j];
                vv[t] = values[j];
                nv[t] = nextValues[j];
                term[t] = terminated[j];
                end[t] = ended[j];
            }
            Gae.compute(r, vv, nv, term, end, gamma, gaeLambda, adv);
            for (int t = 0; t < steps; t++) {
                int j = t * k + i;
                advantages[j] = adv[t];
                returns[j] = adv[t] + values[j];
            }
        }
        SampleBatch batch = new SampleBatch(d, obs, actions, logProbs, values, advantages, returns, groups, masks);
        return new Rollout(batch, episodes, envRewards, terminated, truncated, moments, inferenceNanos);
    }
}
