package io.grpo.jmh;

import io.grpo.coordinator.bench.NetBench;
import io.grpo.coordinator.bench.ReferenceMlp;
import io.grpo.core.GrpoConfig;
import io.grpo.core.LearnerBackend;
import io.grpo.core.policy.ActorCritic;
import io.grpo.core.policy.BlasMlp;
import io.grpo.core.policy.DenseForward;
import io.grpo.core.rollout.SampleBatch;
import io.grpo.core.update.GrpoLearner;
import io.grpo.scenarios.EnvironmentCatalog;
import org.nd4j.linalg.api.buffer.DataType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Micro-level counterparts of {@code grpo bench}'s inference and learner rows, for the
 * hospital's networks (69 features, ReLU 64 x 64): time per call; divide the batch by it for
 * samples/s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class NetworkBenchmarks {

    /** Policy + value forward pass at a batch size. */
    @State(Scope.Thread)
    public static class Inference {
        @Param({"1", "16", "64", "256"})
        int batch;
        ActorCritic net;
        DenseForward dense;
        BlasMlp policy, value;
        ReferenceMlp refPolicy, refValue;
        float[] x;
        double[] logits, values;

        @Setup
        public void setup() {
            GrpoConfig c = EnvironmentCatalog.hospitalDefaults();
            net = ActorCritic.forConfig(NetBench.OBS, NetBench.ACTIONS, c, DataType.FLOAT);
            dense = DenseForward.of(net);
            float[] p = net.parameters();
            policy = new BlasMlp(BlasMlp.widths(NetBench.OBS, c.hiddenSizes(), NetBench.ACTIONS), c.activation());
            value = new BlasMlp(BlasMlp.widths(NetBench.OBS, c.hiddenSizes(), 1), c.activation());
            value.load(p, policy.load(p, 0));
            refPolicy = new ReferenceMlp(BlasMlp.widths(NetBench.OBS, c.hiddenSizes(), NetBench.ACTIONS), c.activation(), 1);
            refValue = new ReferenceMlp(BlasMlp.widths(NetBench.OBS, c.hiddenSizes(), 1), c.activation(), 2);
            x = NetBench.randomObservations(batch, 3);
            logits = new double[batch * NetBench.ACTIONS];
            values = new double[batch];
        }
    }

    @Benchmark
    public double inferenceDl4j(Inference s) {
        double[] z = s.net.logits(s.net.input(s.x, s.batch));
        return z[0] + s.net.values(s.net.input(s.x, s.batch))[0];
    }

    @Benchmark
    public double inferenceDenseForward(Inference s) {
        s.dense.evaluate(s.x, s.batch, s.logits, s.values);
        return s.logits[0] + s.values[0];
    }

    @Benchmark
    public float inferenceBlas(Inference s) {
        return s.policy.forward(s.x, s.batch)[0] + s.value.forward(s.x, s.batch)[0];
    }

    @Benchmark
    public float inferenceReference(Inference s) {
        return s.refPolicy.forward(s.x, s.batch)[0] + s.refValue.forward(s.x, s.batch)[0];
    }

    /** One epoch of GRPO updates over 4,096 samples at a minibatch size. */
    @State(Scope.Thread)
    public static class Learner {
        @Param({"64", "256", "1024"})
        int minibatch;
        @Param({"BLAS", "DL4J"})
        LearnerBackend backend;
        GrpoLearner learner;
        SampleBatch batch;

        @Setup
        public void setup() {
            GrpoConfig c = EnvironmentCatalog.hospitalDefaults().toBuilder().targetKl(Double.NaN).updateEpochs(1)
                    .minibatchSize(minibatch).learnerBackend(backend).build();
            learner = new GrpoLearner(c, ActorCritic.forConfig(NetBench.OBS, NetBench.ACTIONS, c, DataType.FLOAT), 3);
            batch = NetBench.randomBatch(4_096, 4);
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long learnerEpoch(Learner s) {
        return s.learner.update(s.batch, 1e-4).version();
    }
}
