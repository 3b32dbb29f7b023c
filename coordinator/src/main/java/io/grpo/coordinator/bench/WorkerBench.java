package io.grpo.coordinator.bench;

import io.grpo.core.GrpoConfig;
import io.grpo.core.env.VectorEnv;
import io.grpo.core.policy.ActorCritic;
import io.grpo.core.policy.DenseForward;
import io.grpo.core.policy.ObservationNormalizer;
import io.grpo.core.rollout.RolloutCollector;
import io.grpo.scenarios.hospital.HospitalSimulator;
import io.grpo.scenarios.hospital.ScenarioLoader;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What one rollout worker produces on its own: a worker's collection loop (16 urban
 * hospitals, 128 steps, plain-Java inference, GAE) without the actor around it.
 */
public final class WorkerBench {
    private WorkerBench() {}

    /** Samples per second one worker collects. */
    public static double samplesPerSecond(GrpoConfig c, int repeats, double minSeconds) {
        ActorCritic net = ActorCritic.forConfig(NetBench.OBS, NetBench.ACTIONS, c, DataType.FLOAT);
        DenseForward policy = DenseForward.of(net);
        VectorEnv envs = new VectorEnv(() -> new HospitalSimulator(ScenarioLoader.preset("urban")), c.numEnvs(), 1_000L, null);
        ObservationNormalizer normalizer = new ObservationNormalizer(NetBench.OBS, c.normalizeObservations(), c.observationClip());
        RolloutCollector collector = new RolloutCollector(envs, policy, normalizer, false, 17, c.rewardScale(), c.gamma(),
                c.gaeLambda(), c.maskInvalidActions());
        return Measure.medianRate(repeats, minSeconds, () -> collector.collect(c.rolloutSteps()).batch().size());
    }
}
