package io.grpo.scenarios.hospital;

import io.grpo.core.env.ForcedStepSkipping;
import io.grpo.core.env.StepResult;
import io.grpo.scenarios.hospital.baseline.HospitalPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Skipping forced steps changes what the learner sees, never what happens in the hospital. */
class ForcedStepSkippingTest {

    @ParameterizedTest
    @ValueSource(strings = {"urban", "rural", "pediatric", "surge"})
    void aMaskedPolicyGetsTheSameEpisodeAndIsAskedOnlyAtChoices(String preset) {
        HospitalScenario scenario = ScenarioLoader.preset(preset);
        for (long seed = 1; seed <= 3; seed++) {
            HospitalSimulator plain = new HospitalSimulator(scenario);
            plain.reset(seed);
            double plainReturn = 0;
            int plainSteps = 0;
            StepResult r;
            do {
                r = plain.step(HospitalPolicy.FIFO.act(plain, null));
                plainReturn += r.reward();
                plainSteps++;
            } while (!r.done());

            HospitalSimulator inner = new HospitalSimulator(scenario);
            ForcedStepSkipping skipping = new ForcedStepSkipping(inner);
            skipping.reset(seed);
            double skippingReturn = 0;
            int decisions = 0;
            boolean first = true;
            do {
                if (!first) {
                    assertTrue(Long.bitCount(skipping.validActions()) >= 2, "asked at a state with one valid action");
                }
                first = false;
                r = skipping.step(HospitalPolicy.FIFO.act(inner, null));
                skippingReturn += r.reward();
                decisions++;
            } while (!r.done());

            assertEquals(plainReturn, skippingReturn, 1e-9, preset + " seed " + seed + ": same episode, same return");
            assertEquals(plain.outcomes(), inner.outcomes(), "same patients, same outcomes");
            assertEquals(plainSteps, decisions + skipping.forcedSteps(), "every step is a decision or a forced step");
            assertTrue(decisions < plainSteps, "some steps are forced");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"urban", "rural"})
    void theRewardOfForcedStepsGoesToTheChoiceBeforeThem(String preset) {
        HospitalScenario scenario = ScenarioLoader.preset(preset);
        HospitalSimulator plain = new HospitalSimulator(scenario);
        HospitalSimulator inner = new HospitalSimulator(scenario);
        ForcedStepSkipping skipping = new ForcedStepSkipping(inner);
        plain.reset(7);
        skipping.reset(7);
        SplittableRandom rng = new SplittableRandom(3);
        StepResult r;
        do {
            long valid = skipping.validActions();
            int action = pick(valid, rng);
            r = skipping.step(action);
            // Replay the same decision and the forced steps on the plain copy.
            StepResult p = plain.step(action);
            double sum = p.reward();
            int group = p.group();
            while (!p.done() && Long.bitCount(plain.validActions()) == 1) {
                p = plain.step(Long.numberOfTrailingZeros(plain.validActions()));
                sum += p.reward();
            }
            assertEquals(sum, r.reward(), 1e-9);
            assertEquals(group, r.group(), "the sample is labelled with the choice's group");
            assertEquals(p.done(), r.done());
            assertArrayEquals(p.observation(), r.observation());
        } while (!r.done());
    }

    private static int pick(long valid, SplittableRandom rng) {
        int k = rng.nextInt(Long.bitCount(valid));
        long bits = valid;
        for (int i = 0; i < k; i++) bits &= bits - 1;
        return Long.numberOfTrailingZeros(bits);
    }
}
