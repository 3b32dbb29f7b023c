package io.grpo.core.rollout;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class GaeTest {
    private static final double GAMMA = 0.9, LAMBDA = 0.8;

    /** Episode of 3 steps that ends at t=2, then one step of the next episode. */
    private static float[] run(boolean terminatedAtEnd) {
        float[] rewards = {1, 2, 3, 4};
        float[] values = {0.5f, 1.0f, 1.5f, 2.0f};
        // V of the true next states: s1, s2, terminal/last state of episode (value 10), then after-rollout state (5)
        float[] next = {1.0f, 1.5f, 10f, 5f};
        boolean[] terminated = {false, false, terminatedAtEnd, false};
        boolean[] ended = {false, false, true, false};
        float[] adv = new float[4];
        Gae.compute(rewards, values, next, terminated, ended, GAMMA, LAMBDA, adv);
        return adv;
    }

    @Test
    void terminationDoesNotBootstrap() {
        double d2 = 3 - 1.5;                       // no gamma * V(terminal)
        double d1 = 2 + GAMMA * 1.5 - 1.0;
        double d0 = 1 + GAMMA * 1.0 - 0.5;
        double a2 = d2, a1 = d1 + GAMMA * LAMBDA * a2, a0 = d0 + GAMMA * LAMBDA * a1;
        double a3 = 4 + GAMMA * 5 - 2.0;           // new episode: trace does not reach back
        assertArrayEquals(new float[]{(float) a0, (float) a1, (float) a2, (float) a3}, run(true), 1e-5f);
    }

    @Test
    void truncationBootstrapsFromTheLastState() {
        double d2 = 3 + GAMMA * 10 - 1.5;          // bootstrap from V(last state) = 10
        double d1 = 2 + GAMMA * 1.5 - 1.0;
        double d0 = 1 + GAMMA * 1.0 - 0.5;
        double a2 = d2, a1 = d1 + GAMMA * LAMBDA * a2, a0 = d0 + GAMMA * LAMBDA * a1;
        double a3 = 4 + GAMMA * 5 - 2.0;
        assertArrayEquals(new float[]{(float) a0, (float) a1, (float) a2, (float) a3}, run(false), 1e-5f);
    }
}
