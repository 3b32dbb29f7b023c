package io.grpo.core.policy;

import io.grpo.core.update.NdArrays;
import io.grpo.core.update.PolicyLossFunction;
import io.grpo.core.update.ValueLossFunction;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.List;

/**
 * Separate policy and value MLPs (as CleanRL's ppo.py) on DL4J.
 *
 * <p>The policy head outputs raw logits; its output layer carries the weighted PPO loss so
 * backprop yields the GRPO gradient. The value head outputs V(s) under PPO's value loss.
 */
public final class ActorCritic implements PolicyEvaluator {
    private final int observationSize;
    private final int actionCount;
    private final List<Integer> hiddenSizes;
    private final HiddenActivation activation;
    private final DataType dataType;
    private final MultiLayerNetwork policy;
    private final MultiLayerNetwork value;
    private final double clipEpsilon;
    private final double valueClipRange;
    private DenseForward snapshot; // inference copy of the parameters; null when stale

    private ActorCritic(int observationSize, int actionCount, List<Integer> hiddenSizes, HiddenActivation activation,
                        DataType dataType, MultiLayerNetwork policy, MultiLayerNetwork value, double clipEpsilon,
                        double valueClipRange) {
        this.observationSize = observationSize;
        this.actionCount = actionCount;
        this.hiddenSizes = List.copyOf(hiddenSizes);
        this.activation = activation;
        this.dataType = dataType;
        this.policy = policy;
        this.value = value;
        this.clipEpsilon = clipEpsilon;
        this.valueClipRange = valueClipRange;
    }

    /**
     * Builds freshly initialised nets: Xavier-initialised hidden layers and a policy head scaled by 0.01,
     * so the initial policy is near-uniform (the role of CleanRL's std=0.01 orthogonal init).
     */
    public static ActorCritic create(int observationSize, int actionCount, List<Integer> hiddenSizes,
                                     HiddenActivation activation, long seed, double clipEpsilon, double valueClipRange,
                                     DataType dataType) {
        if (observationSize < 1 || actionCount < 2) {
            throw new IllegalArgumentException("need observationSize >= 1 and actionCount >= 2, got "
                    + observationSize + ", " + actionCount);
        }
        MultiLayerNetwork policy = mlp(observationSize, actionCount, hiddenSizes, activation, seed,
                new PolicyLossFunction(clipEpsilon), dataType);
        MultiLayerNetwork value = mlp(observationSize, 1, hiddenSizes, activation, seed + 7919,
                new ValueLossFunction(valueClipRange), dataType);
        INDArray head = policy.getLayer(hiddenSizes.size()).getParam("W");
        head.muli(0.01);
        return new ActorCritic(observationSize, actionCount, hiddenSizes, activation, dataType, policy, value,
                clipEpsilon, valueClipRange);
    }

    /** Nets shaped and seeded by a run's config (value clipping follows {@code clipValueLoss}). */
    public static ActorCritic forConfig(int observationSize, int actionCount, io.grpo.core.GrpoConfig config,
                                        DataType dataType) {
        return create(observationSize, actionCount, config.hiddenSizes(), config.activation(), config.seed(),
                config.clipEpsilon(),
                config.clipValueLoss() ? config.clipEpsilon() : 0.0, dataType);
    }

    private static MultiLayerNetwork mlp(int in, int out, List<Integer> hidden, HiddenActivation activation, long seed,
                                         ILossFunction loss, DataType dataType) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .weightInit(WeightInit.XAVIER)
                .list();
        int prev = in;
        for (int i = 0; i < hidden.size(); i++) {
            b.layer(i, new DenseLayer.Builder().nIn(prev).nOut(hidden.get(i)).activation(activation.dl4j()).build());
            prev = hidden.get(i);
        }
        b.layer(hidden.size(), new OutputLayer.Builder(loss).nIn(prev).nOut(out).activation(Activation.IDENTITY).build());
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Override
    public int observationSize() {
        return observationSize;
    }

    @Override
    public int actionCount() {
        return actionCount;
    }

    public List<Integer> hiddenSizes() {
        return hiddenSizes;
    }

    public HiddenActivation activation() {
        return activation;
    }

    /** PPO ratio clip of the policy loss. */
    public double clipEpsilon() {
        return clipEpsilon;
    }

    /** Value-clip range of the value loss (0: unclipped). */
    public double valueClipRange() {
        return valueClipRange;
    }

    public DataType dataType() {
        return dataType;
    }

    /** The policy net (its output layer holds {@link PolicyLossFunction}). */
    public MultiLayerNetwork policyNet() {
        return policy;
    }

    /** The value net (its output layer holds {@link ValueLossFunction}). */
    public MultiLayerNetwork valueNet() {
        return value;
    }

    /** Wraps row-major observations (n x observationSize) as a network input. */
    public INDArray input(float[] observations, int n) {
        return Nd4j.create(observations, new long[]{n, observationSize}, 'c').castTo(dataType);
    }

    /**
     * Rollout inference on a plain-Java snapshot of the parameters ({@link DenseForward}, tested
     * equal to DL4J's output to 1e-5): DL4J's per-operation cost made this the single-process
     * trainer's largest cost. {@link #logits(INDArray)} and {@link #values(INDArray)} stay on DL4J.
     */
    @Override
    public synchronized void evaluate(float[] observations, int n, double[] logits, double[] values) {
        if (snapshot == null) snapshot = DenseForward.of(this);
        snapshot.evaluate(observations, n, logits, values);
    }

    /**
     * Tells the net its parameters were changed in place (as DL4J's optimizer does), so the
     * inference snapshot is rebuilt; {@link #setParameters} does this itself.
     */
    public synchronized void parametersChanged() {
        snapshot = null;
    }

    /** Logits, row-major n x actionCount. */
    public double[] logits(INDArray input) {
        return NdArrays.rowMajor(policy.output(input, false));
    }

    /** State values, length n. */
    public double[] values(INDArray input) {
        return NdArrays.rowMajor(value.output(input, false));
    }

    public long parameterCount() {
        return policy.numParams() + value.numParams();
    }

    /** All parameters, policy first then value, as one float vector (the wire/checkpoint form). */
    public float[] parameters() {
        float[] p = NdArrays.rowMajorFloat(policy.params());
        float[] v = NdArrays.rowMajorFloat(value.params());
        float[] all = new float[p.length + v.length];
        System.arraycopy(p, 0, all, 0, p.length);
        System.arraycopy(v, 0, all, p.length, v.length);
        return all;
    }

    /** Loads parameters produced by {@link #parameters()} of a net with the same shape. */
    public void setParameters(float[] all) {
        long np = policy.numParams();
        long nv = value.numParams();
        if (all.length != np + nv) {
            throw new IllegalArgumentException("parameter vector has " + all.length + " values, this net has " + (np + nv));
        }
        float[] p = new float[(int) np];
        float[] v = new float[(int) nv];
        System.arraycopy(all, 0, p, 0, p.length);
        System.arraycopy(all, p.length, v, 0, v.length);
        policy.params().assign(Nd4j.createFromArray(p).reshape(policy.params().shape()).castTo(dataType));
        value.params().assign(Nd4j.createFromArray(v).reshape(value.params().shape()).castTo(dataType));
        parametersChanged();
    }

    /** An independent copy with the same architecture and parameters. */
    public ActorCritic copy() {
        MultiLayerNetwork p = policy.clone();
        MultiLayerNetwork v = value.clone();
        return new ActorCritic(observationSize, actionCount, hiddenSizes, activation, dataType, p, v, clipEpsilon,
                valueClipRange);
    }
}
