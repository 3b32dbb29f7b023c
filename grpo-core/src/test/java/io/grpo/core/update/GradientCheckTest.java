package io.grpo.core.update;

import io.grpo.core.policy.ActorCritic;
import io.grpo.core.policy.HiddenActivation;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finite-difference checks of the GRPO losses, on logits and through the DL4J networks. */
class GradientCheckTest {
    private static final IActivation IDENTITY = Activation.IDENTITY.getActivationFunction();
    private static final int N = 24, OBS = 5, ACTIONS = 3;

    @Test
    void policyLossGradientOnLogitsMatchesFiniteDifferences() {
        Random rnd = new Random(3);
        INDArray logits = Nd4j.rand(DataType.DOUBLE, N, ACTIONS).subi(0.5).muli(4);
        INDArray labels = policyLabels(rnd, logits, 0.2);
        PolicyLossFunction loss = new PolicyLossFunction(0.2);
        INDArray analytic = loss.computeGradient(labels, logits, IDENTITY, null);
        double h = 1e-6;
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < ACTIONS; k++) {
                double orig = logits.getDouble(i, k);
                logits.putScalar(i, k, orig + h);
                double up = loss.computeScore(labels, logits, IDENTITY, null, false);
                logits.putScalar(i, k, orig - h);
                double down = loss.computeScore(labels, logits, IDENTITY, null, false);
                logits.putScalar(i, k, orig);
                assertEquals((up - down) / (2 * h), analytic.getDouble(i, k), 1e-8, "d loss / d logit[" + i + "," + k + "]");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(HiddenActivation.class)
    void policyGradientThroughNetworkMatchesFiniteDifferences(HiddenActivation activation) {
        ActorCritic ac = ActorCritic.create(OBS, ACTIONS, List.of(8, 8), activation, 11, 0.2, 0.2, DataType.DOUBLE);
        MultiLayerNetwork net = ac.policyNet();
        INDArray input = Nd4j.rand(DataType.DOUBLE, N, OBS).subi(0.5).muli(2);
        // enlarge the head so ratios move enough to exercise clipping
        net.getLayer(2).getParam("W").muli(100);
        INDArray labels = policyLabels(new Random(5), net.output(input, false), 0.2);
        checkNetworkGradient(net, input, labels, new PolicyLossFunction(0.2));
    }

    @ParameterizedTest
    @EnumSource(HiddenActivation.class)
    void clippedValueGradientThroughNetworkMatchesFiniteDifferences(HiddenActivation activation) {
        ActorCritic ac = ActorCritic.create(OBS, ACTIONS, List.of(8, 8), activation, 13, 0.2, 0.2, DataType.DOUBLE);
        MultiLayerNetwork net = ac.valueNet();
        INDArray input = Nd4j.rand(DataType.DOUBLE, N, OBS).subi(0.5).muli(2);
        INDArray v = net.output(input, false);
        Random rnd = new Random(9);
        double[][] labels = new double[N][ValueLossFunction.LABEL_COLUMNS];
        for (int i = 0; i < N; i++) {
            labels[i][ValueLossFunction.COL_RETURN] = rnd.nextGaussian();
            // half the samples far from the current value, so the clipped branch is active
            labels[i][ValueLossFunction.COL_BEHAVIOUR_VALUE] = v.getDouble(i, 0) + (i % 2 == 0 ? 0.05 : 0.6) * (rnd.nextBoolean() ? 1 : -1);
            labels[i][ValueLossFunction.COL_WEIGHT] = 0.5 / N;
        }
        checkNetworkGradient(net, input, Nd4j.createFromArray(labels), new ValueLossFunction(0.2));
    }

    /** Builds policy labels whose behaviour log-probs differ from the current ones by up to ~0.4 nats. */
    private static INDArray policyLabels(Random rnd, INDArray logits, double eps) {
        double[] z = NdArrays.rowMajor(logits);
        double[] logp = new double[ACTIONS];
        double[][] labels = new double[N][PolicyLossFunction.LABEL_COLUMNS];
        for (int i = 0; i < N; i++) {
            int a = rnd.nextInt(ACTIONS);
            double shift;
            do {
                shift = (rnd.nextDouble() - 0.5) * 0.8;
            } while (Math.abs(Math.abs(Math.exp(-shift) - 1) - eps) < 1e-3); // keep clear of the kink
            labels[i][PolicyLossFunction.COL_ACTION] = a;
            labels[i][PolicyLossFunction.COL_ADVANTAGE] = rnd.nextGaussian();
            PpoMath.logSoftmax(z, i * ACTIONS, ACTIONS, mask(i, a), logp);
            labels[i][PolicyLossFunction.COL_BEHAVIOUR_LOGP] = logp[a] + shift;
            labels[i][PolicyLossFunction.COL_SAMPLE_WEIGHT] = rnd.nextDouble() / N;
            labels[i][PolicyLossFunction.COL_ENTROPY_WEIGHT] = 0.01 / N;
            labels[i][PolicyLossFunction.COL_ACTION_MASK] = mask(i, a);
        }
        return Nd4j.createFromArray(labels);
    }

    /** Every third sample has one invalid action (never the one taken). */
    private static long mask(int i, int action) {
        long mask = (1L << ACTIONS) - 1;
        return i % 3 == 0 ? mask & ~(1L << ((action + 1) % ACTIONS)) : mask;
    }

    private static void checkNetworkGradient(MultiLayerNetwork net, INDArray input, INDArray labels, ILossFunction loss) {
        net.setInput(input);
        net.setLabels(labels);
        net.computeGradientAndScore();
        double[] analytic = NdArrays.rowMajor(net.getGradientsViewArray());
        INDArray params = net.params();
        double h = 1e-6;
        int checked = 0;
        double worst = 0;
        for (int p = 0; p < params.length(); p++) {
            double orig = params.getDouble(p);
            params.putScalar(p, orig + h);
            double up = loss.computeScore(labels, net.output(input, false), IDENTITY, null, false);
            params.putScalar(p, orig - h);
            double down = loss.computeScore(labels, net.output(input, false), IDENTITY, null, false);
            params.putScalar(p, orig);
            double numeric = (up - down) / (2 * h);
            double err = Math.abs(numeric - analytic[p]) / (1e-3 + Math.abs(numeric) + Math.abs(analytic[p]));
            worst = Math.max(worst, err);
            checked++;
        }
        assertTrue(checked > 100);
        assertTrue(worst < 1e-6, "worst relative gradient error " + worst);
    }
}
