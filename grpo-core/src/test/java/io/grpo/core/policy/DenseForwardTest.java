package io.grpo.core.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The plain-Java forward pass matches DL4J's output to 1e-5 on random nets and inputs. */
class DenseForwardTest {

    @ParameterizedTest
    @CsvSource({"relu, 64;64, 33, 10", "tanh, 64;64, 4, 2", "relu, 16, 51, 10", "tanh, 32;16;8, 7, 3"})
    void matchesDl4jOnRandomInputs(String activation, String hidden, int obs, int actions) {
        List<Integer> sizes = Arrays.stream(hidden.split(";")).map(Integer::parseInt).toList();
        ActorCritic net = ActorCritic.create(obs, actions, sizes, HiddenActivation.parse(activation), 42, 0.2, 0,
                DataType.FLOAT);
        SplittableRandom rng = new SplittableRandom(7);
        // Parameters far from the small initial head, so the outputs are not all near zero.
        float[] params = new float[(int) net.parameterCount()];
        for (int i = 0; i < params.length; i++) params[i] = (float) (rng.nextGaussian() * 0.3);
        net.setParameters(params);
        DenseForward fast = DenseForward.of(net);

        int n = 37;
        float[] x = new float[n * obs];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rng.nextGaussian() * 2);
        double[] logits = new double[n * actions], values = new double[n];
        fast.evaluate(x, n, logits, values);
        double[] refLogits = net.logits(net.input(x, n));
        double[] refValues = net.values(net.input(x, n));
        for (int i = 0; i < logits.length; i++) {
            assertEquals(refLogits[i], logits[i], 1e-5 * Math.max(1, Math.abs(refLogits[i])), "logit " + i);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(refValues[i], values[i], 1e-5 * Math.max(1, Math.abs(refValues[i])), "value " + i);
        }
    }

    @ParameterizedTest
    @CsvSource({"1", "16"})
    void evaluatesOnlyWhatIsAskedAndRejectsWrongShapes(int n) {
        ActorCritic net = ActorCritic.create(3, 2, List.of(4), HiddenActivation.RELU, 1, 0.2, 0, DataType.FLOAT);
        DenseForward fast = DenseForward.of(net);
        double[] values = new double[n];
        fast.evaluate(new float[n * 3], n, null, values);
        assertEquals(net.values(net.input(new float[n * 3], n))[0], values[0], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> fast.load(new float[fast.parameterCount() + 1]));
    }
}
