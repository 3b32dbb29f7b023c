package io.grpo.coordinator.bench;

import io.grpo.core.GrpoConfig;
import io.grpo.core.LearnerBackend;
import io.grpo.core.policy.ActorCritic;
import io.grpo.core.policy.BlasMlp;
import io.grpo.core.policy.DenseForward;
import io.grpo.core.rollout.SampleBatch;
import io.grpo.core.update.GrpoLearner;
import io.grpo.scenarios.EnvironmentCatalog;
import io.grpo.scenarios.hospital.HospitalSimulator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * Inference and learner throughput of the hospital's networks (69 features, ReLU 64 x 64,
 * policy and value nets, the default hospital config): DL4J, the plain-Java/BLAS code the
 * system runs, and the hand-written {@link ReferenceMlp}.
 */
public final class NetBench {
    public static final int OBS = HospitalSimulator.OBSERVATION_SIZE;
    public static final int ACTIONS = HospitalSimulator.ACTIONS;
    private static final int GROUPS = 3;
    private static volatile float blackhole;

    private final int repeats;
    private final double minSeconds;
    private final GrpoConfig hospital = EnvironmentCatalog.hospitalDefaults().toBuilder().targetKl(Double.NaN).build();

    public NetBench(int repeats, double minSeconds) {
        this.repeats = repeats;
        this.minSeconds = minSeconds;
    }

    public GrpoConfig hospitalConfig() {
        return hospital;
    }

    /** Inference samples/s (policy logits and value) at a batch size. */
    public record Inference(int batch, double dl4j, double plainJava, double blas, double reference) {}

    public Inference inference(int batch) {
        ActorCritic net = ActorCritic.forConfig(OBS, ACTIONS, hospital, DataType.FLOAT);
        DenseForward dense = DenseForward.of(net);
        float[] params = net.parameters();
        BlasMlp policy = new BlasMlp(BlasMlp.widths(OBS, hospital.hiddenSizes(), ACTIONS), hospital.activation());
        BlasMlp value = new BlasMlp(BlasMlp.widths(OBS, hospital.hiddenSizes(), 1), hospital.activation());
        value.load(params, policy.load(params, 0));
        ReferenceMlp refPolicy = new ReferenceMlp(BlasMlp.widths(OBS, hospital.hiddenSizes(), ACTIONS), hospital.activation(), 1);
        ReferenceMlp refValue = new ReferenceMlp(BlasMlp.widths(OBS, hospital.hiddenSizes(), 1), hospital.activation(), 2);
        float[] x = randomObservations(batch, 3);
        double[] logits = new double[batch * ACTIONS], values = new double[batch];
        double dl4j = Measure.medianRate(repeats, minSeconds, () -> {
            // DL4J's own forward pass (ActorCritic.evaluate runs on the plain-Java snapshot)
            INDArray in = net.input(x, batch);
            blackhole = (float) (net.logits(in)[0] + net.values(in)[0]);
            return batch;
        });
        double plain = Measure.medianRate(repeats, minSeconds, () -> {
            dense.evaluate(x, batch, logits, values);
            return batch;
        });
        double blas = Measure.medianRate(repeats, minSeconds, () -> {
            blackhole = policy.forward(x, batch)[0] + value.forward(x, batch)[0];
            return batch;
        });
        double ref = Measure.medianRate(repeats, minSeconds, () -> {
            blackhole = refPolicy.forward(x, batch)[0] + refValue.forward(x, batch)[0];
            return batch;
        });
        return new Inference(batch, dl4j, plain, blas, ref);
    }

    /** Learner samples/s for one epoch over {@code samples} at a minibatch size. */
    public record LearnerEpoch(int minibatch, double blas, double dl4j, double reference) {}

    public LearnerEpoch learnerEpoch(int minibatch, int samples) {
        SampleBatch batch = randomBatch(samples, 4);
        double blas = learnerRate(LearnerBackend.BLAS, minibatch, 1, batch);
        double dl4j = learnerRate(LearnerBackend.DL4J, minibatch, 1, batch);
        double ref = referenceRate(minibatch, batch);
        return new LearnerEpoch(minibatch, blas, dl4j, ref);
    }

    /** Milliseconds for one full default update (all epochs) on {@code samples} fresh samples. */
    public double fullUpdateMillis(LearnerBackend backend, int samples) {
        SampleBatch batch = randomBatch(samples, 5);
        double rate = learnerRate(backend, hospital.minibatchSize(), hospital.updateEpochs(), batch);
        return 1000.0 * samples / rate;
    }

    /** Fresh samples per second the learner absorbs (one full default update per batch). */
    private double learnerRate(LearnerBackend backend, int minibatch, int epochs, SampleBatch batch) {
        GrpoConfig c = hospital.toBuilder().minibatchSize(minibatch).updateEpochs(epochs).learnerBackend(backend).build();
        GrpoLearner learner = new GrpoLearner(c, ActorCritic.forConfig(OBS, ACTIONS, c, DataType.FLOAT), GROUPS);
        return Measure.medianRate(repeats, minSeconds, () -> {
            learner.update(batch, 1e-4);
            return batch.size();
        });
    }

    /** The reference's forward, backward and Adam over both nets, one epoch of minibatches. */
    private double referenceRate(int minibatch, SampleBatch batch) {
        ReferenceMlp policy = new ReferenceMlp(BlasMlp.widths(OBS, hospital.hiddenSizes(), ACTIONS), hospital.activation(), 1);
        ReferenceMlp value = new ReferenceMlp(BlasMlp.widths(OBS, hospital.hiddenSizes(), 1), hospital.activation(), 2);
        int n = batch.size();
        float[] x = new float[minibatch * OBS];
        float[] dz = new float[minibatch * ACTIONS], dv = new float[minibatch];
        int[] step = {0};
        return Measure.medianRate(repeats, minSeconds, () -> {
            for (int start = 0; start < n; start += minibatch) {
                int m = Math.min(minibatch, n - start);
                System.arraycopy(batch.observations(), start * OBS, x, 0, m * OBS);
                float[] z = policy.forward(x, m);
                for (int k = 0; k < m * ACTIONS; k++) dz[k] = z[k] / m; // stands in for the loss gradient
                policy.backward(dz, m);
                float[] v = value.forward(x, m);
                for (int k = 0; k < m; k++) dv[k] = (v[k] - batch.returns()[start + k]) / m;
                value.backward(dv, m);
                policy.adam(1e-4, 1e-5, step[0]);
                value.adam(1e-4, 1e-5, step[0]++);
            }
            return n;
        });
    }

    public static float[] randomObservations(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * OBS];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    /** A hospital-shaped learner batch with random contents and valid-action masks. */
    public static SampleBatch randomBatch(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] obs = randomObservations(n, seed + 1);
        int[] actions = new int[n], groups = new int[n];
        float[] logp = new float[n], values = new float[n], adv = new float[n], ret = new float[n];
        long[] masks = new long[n];
        for (int i = 0; i < n; i++) {
            actions[i] = r.nextInt(ACTIONS);
            masks[i] = r.nextLong(1L << ACTIONS) | 1L << actions[i];
            logp[i] = (float) (Math.log(1.0 / Long.bitCount(masks[i])) + 0.1 * r.nextGaussian());
            values[i] = (float) r.nextGaussian();
            adv[i] = (float) r.nextGaussian();
            ret[i] = values[i] + adv[i];
            groups[i] = r.nextInt(GROUPS);
        }
        return new SampleBatch(OBS, obs, actions, logp, values, adv, ret, groups, masks);
    }
}
