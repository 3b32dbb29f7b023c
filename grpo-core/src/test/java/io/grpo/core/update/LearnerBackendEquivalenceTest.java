package io.grpo.core.update;

import io.grpo.core.GrpoConfig;
import io.grpo.core.LearnerBackend;
import io.grpo.core.RobustMode;
import io.grpo.core.policy.ActorCritic;
import io.grpo.core.policy.HiddenActivation;
import io.grpo.core.rollout.SampleBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The BLAS learner backend computes the same losses, gradients, Adam steps and state as DL4J's. */
class LearnerBackendEquivalenceTest {
    private static final int OBS = 7, ACTIONS = 5, GROUPS = 3;
    private static final double TOL = 1e-5;

    private static GrpoConfig config(HiddenActivation activation, LearnerBackend backend) {
        return GrpoConfig.builder().hiddenSizes(List.of(16, 12)).activation(activation).updateEpochs(2)
                .minibatchSize(40).clipValueLoss(true).entropyCoef(0.01).maxGradNorm(0.5)
                .groupRobustnessWeight(0.3).robustMode(RobustMode.DRO).seed(9).learnerBackend(backend).build();
    }

    private static GrpoLearner learner(GrpoConfig c) {
        return new GrpoLearner(c, ActorCritic.forConfig(OBS, ACTIONS, c, DataType.FLOAT), GROUPS);
    }

    /** Random samples with random valid-action masks (the taken action always valid). */
    static SampleBatch batch(int n, long seed) {
        Random r = new Random(seed);
        float[] obs = new float[n * OBS];
        for (int i = 0; i < obs.length; i++) obs[i] = (float) (2 * r.nextGaussian());
        int[] actions = new int[n], groups = new int[n];
        float[] logp = new float[n], values = new float[n], adv = new float[n], ret = new float[n];
        long[] masks = new long[n];
        for (int i = 0; i < n; i++) {
            actions[i] = r.nextInt(ACTIONS);
            masks[i] = r.nextInt(1 << ACTIONS) | 1L << actions[i];
            logp[i] = (float) (Math.log(1.0 / Long.bitCount(masks[i])) + 0.3 * r.nextGaussian());
            values[i] = (float) r.nextGaussian();
            adv[i] = (float) (3 * r.nextGaussian());
            ret[i] = values[i] + adv[i];
            groups[i] = r.nextInt(GROUPS);
        }
        return new SampleBatch(OBS, obs, actions, logp, values, adv, ret, groups, masks);
    }

    @ParameterizedTest
    @EnumSource(HiddenActivation.class)
    void blasAndDl4jAgreeOnLossesGradientsParametersAndOptimizerState(HiddenActivation activation) {
        GrpoLearner blas = learner(config(activation, LearnerBackend.BLAS));
        GrpoLearner dl4j = learner(config(activation, LearnerBackend.DL4J));
        assertArrayEquals(dl4j.net().parameters(), blas.net().parameters(), 0f, "same initial weights");

        for (int update = 0; update < 2; update++) {
            SampleBatch b = batch(100, 100 + update);
            UpdateStats sb = blas.update(b, 3e-3);
            UpdateStats sd = dl4j.update(b, 3e-3);
            assertEquals(sd.policyLoss(), sb.policyLoss(), TOL, "policy loss");
            assertEquals(sd.valueLoss(), sb.valueLoss(), TOL, "value loss");
            assertEquals(sd.entropy(), sb.entropy(), TOL, "entropy");
            assertEquals(sd.approxKl(), sb.approxKl(), TOL, "approx KL");
            assertEquals(sd.gradNorm(), sb.gradNorm(), TOL, "gradient norm");
            assertArrayEquals(sd.groupWeight(), sb.groupWeight(), TOL, "group weights");
            assertArrayEquals(dl4j.net().parameters(), blas.net().parameters(), (float) TOL, "parameters after update " + update);
        }
        LearnerState stateB = blas.state(), stateD = dl4j.state();
        assertArrayEquals(stateD.policyOptimizer(), stateB.policyOptimizer(), TOL, "policy Adam moments");
        assertArrayEquals(stateD.valueOptimizer(), stateB.valueOptimizer(), TOL, "value Adam moments");
    }

    @ParameterizedTest
    @EnumSource(HiddenActivation.class)
    void enginesComputeTheSameLogitsLossAndGradients(HiddenActivation activation) {
        GrpoConfig c = config(activation, LearnerBackend.BLAS);
        ActorCritic net = ActorCritic.forConfig(OBS, ACTIONS, c, DataType.FLOAT);
        float[] params = net.parameters();
        Random r = new Random(17);
        for (int i = 0; i < params.length; i++) params[i] += (float) (0.05 * r.nextGaussian()); // a non-trivial head
        net.setParameters(params);
        GradientEngine blas = new BlasEngine(net.copy(), c.adamEpsilon());
        GradientEngine dl4j = new Dl4jEngine(net.copy(), c.learningRate(), c.adamEpsilon());
        SampleBatch b = batch(64, 5);
        int[] order = new int[64];
        for (int i = 0; i < 64; i++) order[i] = 63 - i;
        Minibatch x = Minibatch.gather(b, order, 0, 64, true);
        double[] w = new double[64];
        for (int i = 0; i < 64; i++) w[i] = r.nextDouble() / 32;

        blas.beginUpdate();
        dl4j.beginUpdate();
        assertArrayEquals(dl4j.logits(x), blas.logits(x), TOL, "logits");
        double vb = blas.computeGradients(x, w, 0.02 / 64, 0.5);
        double vd = dl4j.computeGradients(x, w, 0.02 / 64, 0.5);
        assertEquals(vd, vb, TOL, "value loss");
        assertArrayEquals(dl4j.gradients(), blas.gradients(), (float) TOL, "gradients, policy then value");
        assertEquals(dl4j.gradientNorm(), blas.gradientNorm(), TOL, "gradient norm");
    }

    @ParameterizedTest
    @EnumSource(LearnerBackend.class)
    void rolloutInferenceFollowsEveryUpdate(LearnerBackend backend) {
        GrpoLearner l = learner(config(HiddenActivation.TANH, backend));
        SampleBatch b = batch(64, 3);
        double[] logits = new double[64 * ACTIONS], values = new double[64];
        for (int update = 0; update < 2; update++) {
            l.net().evaluate(b.observations(), 64, logits, values); // builds the inference snapshot
            l.update(b, 1e-2);
            l.net().evaluate(b.observations(), 64, logits, values);
            ActorCritic net = l.net();
            assertArrayEquals(net.logits(net.input(b.observations(), 64)), logits, TOL, "logits after update " + update);
            assertArrayEquals(net.values(net.input(b.observations(), 64)), values, TOL, "values after update " + update);
        }
    }

    @ParameterizedTest
    @EnumSource(LearnerBackend.class)
    void stateSavedByOneBackendContinuesIdenticallyOnTheOther(LearnerBackend saver) {
        LearnerBackend loader = saver == LearnerBackend.BLAS ? LearnerBackend.DL4J : LearnerBackend.BLAS;
        GrpoLearner first = learner(config(HiddenActivation.RELU, saver));
        first.update(batch(80, 1), 1e-3);
        GrpoLearner second = learner(config(HiddenActivation.RELU, loader));
        second.restore(first.state());

        SampleBatch next = batch(80, 2);
        first.update(next, 1e-3);
        second.update(next, 1e-3);
        assertEquals(first.version(), second.version());
        assertArrayEquals(first.net().parameters(), second.net().parameters(), (float) TOL);
    }
}
