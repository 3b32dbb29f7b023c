package io.grpo.core.policy;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActionSamplerTest {

    @Test
    void maskedActionsAreNeverSampledAndLogProbsRenormalise() {
        double[] logits = {5.0, 0.0, 0.0, 0.0};      // action 0 would dominate, but it is masked
        long[] masks = {0b1110L};
        int[] counts = new int[4];
        int[] a = new int[1];
        float[] logp = new float[1];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 3000; i++) {
            ActionSampler.sample(logits, 1, 4, masks, rng, a, logp);
            counts[a[0]]++;
            assertEquals(Math.log(1.0 / 3), logp[0], 1e-6, "uniform over the three valid actions");
        }
        assertEquals(0, counts[0]);
        for (int k = 1; k < 4; k++) assertTrue(counts[k] > 850 && counts[k] < 1150, "action " + k + ": " + counts[k]);
    }

    @Test
    void greedyPicksTheBestValidAction() {
        double[] logits = {3.0, 1.0, 2.0, 0.5, 9.0, 8.0};
        int[] out = new int[2];
        ActionSampler.greedy(logits, 2, 3, new long[]{0b110L, 0b111L}, out);
        assertEquals(2, out[0]);
        assertEquals(1, out[1]);
        ActionSampler.greedy(logits, 2, 3, new long[]{-1L, 0b101L}, out);
        assertEquals(0, out[0]);
        assertNotEquals(1, out[1]);
    }
}
