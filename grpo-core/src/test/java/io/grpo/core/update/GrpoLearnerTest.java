package io.grpo.core.update;

import io.grpo.core.GrpoConfig;
import io.grpo.core.RobustMode;
import io.grpo.core.TestBatches;
import io.grpo.core.policy.ActorCritic;
import io.grpo.core.rollout.SampleBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrpoLearnerTest {
    static final int OBS = 4, ACTIONS = 2;

    static GrpoLearner learner(GrpoConfig c, int groups) {
        ActorCritic net = ActorCritic.forConfig(OBS, ACTIONS, c, DataType.FLOAT);
        return new GrpoLearner(c, net, groups);
    }

    private static GrpoConfig config(double lambda, RobustMode mode) {
        return GrpoConfig.builder().hiddenSizes(List.of(16, 16)).updateEpochs(3).minibatchSize(32)
                .groupRobustnessWeight(lambda).robustMode(mode).droStepSize(0.5).seed(42).build();
    }

    @Test
    void lambdaZeroIsExactlyPpoWhateverTheGroupsAndMode() {
        SampleBatch grouped = TestBatches.randomBatch(96, 3, 1);
        SampleBatch ungrouped = new SampleBatch(OBS, grouped.observations(), grouped.actions(),
                grouped.behaviourLogProbs(), grouped.behaviourValues(), grouped.advantages(), grouped.returns(), new int[96],
                grouped.actionMasks());

        GrpoLearner ppo = learner(config(0.0, RobustMode.MAX), 1);
        GrpoLearner maxMode = learner(config(0.0, RobustMode.MAX), 3);
        GrpoLearner droMode = learner(config(0.0, RobustMode.DRO), 3);
        UpdateStats s = ppo.update(ungrouped, 1e-3);
        maxMode.update(grouped, 1e-3);
        droMode.update(grouped, 1e-3);

        assertArrayEquals(ppo.net().parameters(), maxMode.net().parameters(), 0f);
        assertArrayEquals(ppo.net().parameters(), droMode.net().parameters(), 0f);
        assertEquals(9, s.minibatchSteps());
    }

    @Test
    void robustWeightChangesTheUpdate() {
        SampleBatch b = TestBatches.randomBatch(96, 3, 2);
        GrpoLearner ppo = learner(config(0.0, RobustMode.MAX), 3);
        GrpoLearner grpo = learner(config(1.0, RobustMode.MAX), 3);
        ppo.update(b, 1e-3);
        UpdateStats s = grpo.update(b, 1e-3);
        assertFalse(java.util.Arrays.equals(ppo.net().parameters(), grpo.net().parameters()));
        double sum = 0;
        for (double q : s.groupWeight()) sum += q;
        assertEquals(1.0, sum, 1e-9, "mean robust weights over minibatches sum to 1");
    }

    @Test
    void updateReportsSaneStatistics() {
        GrpoLearner l = learner(config(0.5, RobustMode.DRO), 3);
        UpdateStats s = l.update(TestBatches.randomBatch(128, 3, 3), 1e-3);
        assertEquals(1, s.version());
        assertEquals(128, s.samples());
        assertTrue(s.entropy() > 0.6 && s.entropy() <= Math.log(2) + 1e-9, "entropy " + s.entropy());
        assertTrue(s.approxKl() >= 0);
        assertTrue(s.clipFraction() >= 0 && s.clipFraction() <= 1);
        assertTrue(s.valueLoss() > 0);
        assertEquals(128, java.util.Arrays.stream(s.groupSamples()).sum());
    }

    @Test
    void reportedValueLossIsHalfTheMeanSquaredError() {
        GrpoConfig c = config(0.0, RobustMode.MAX).toBuilder().updateEpochs(1).minibatchSize(64).clipValueLoss(false).build();
        GrpoLearner l = learner(c, 1);
        SampleBatch b = TestBatches.randomBatch(64, 1, 4);
        double[] v = l.net().values(l.net().input(b.observations(), 64));
        double mse = 0;
        for (int i = 0; i < 64; i++) mse += Math.pow(v[i] - b.returns()[i], 2) / 64;
        assertEquals(0.5 * mse, l.update(b, 1e-3).valueLoss(), 1e-4);
    }

    @Test
    void rejectsNonFiniteBatchesAndBadGroups() {
        GrpoLearner l = learner(config(0.2, RobustMode.MAX), 3);
        SampleBatch b = TestBatches.randomBatch(32, 3, 5);
        b.advantages()[3] = Float.NaN;
        float[] before = l.net().parameters();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.update(b, 1e-3));
        assertTrue(e.getMessage().contains("advantages"));
        assertArrayEquals(before, l.net().parameters(), 0f);
        assertThrows(IllegalArgumentException.class, () -> l.update(TestBatches.randomBatch(32, 4, 6), 1e-3));
    }
}
