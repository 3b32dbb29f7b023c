package io.grpo.core;

import io.grpo.core.rollout.SampleBatch;

import java.util.Random;

/** Random but valid learner batches for tests (observation size 4, two actions). */
public final class TestBatches {
    public static final int OBS = 4, ACTIONS = 2;

    private TestBatches() {}

    public static SampleBatch randomBatch(int n, int groups, long seed) {
        Random r = new Random(seed);
        float[] obs = new float[n * OBS];
        for (int i = 0; i < obs.length; i++) obs[i] = (float) r.nextGaussian();
        int[] actions = new int[n];
        float[] logp = new float[n], values = new float[n], adv = new float[n], ret = new float[n];
        int[] g = new int[n];
        for (int i = 0; i < n; i++) {
            actions[i] = r.nextInt(ACTIONS);
            logp[i] = (float) Math.log(0.5) + (float) (0.1 * r.nextGaussian());
            values[i] = (float) r.nextGaussian();
            adv[i] = (float) r.nextGaussian();
            ret[i] = values[i] + adv[i];
            g[i] = r.nextInt(groups);
        }
        long[] masks = new long[n];
        java.util.Arrays.fill(masks, (1L << ACTIONS) - 1);
        return new SampleBatch(OBS, obs, actions, logp, values, adv, ret, g, masks);
    }
}
