package io.grpo.core.train;

import io.grpo.core.GrpoConfig;
import io.grpo.core.policy.ActionSampler;
import io.grpo.core.policy.ActorCritic;
import io.grpo.core.policy.ObservationNormalizer;
import io.grpo.core.rollout.SampleBatch;
import io.grpo.core.update.GrpoLearner;
import io.grpo.core.update.UpdateStats;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;

/**
 * The original project's {@code GRPOAgent} in Java: an actor-critic policy, its observation
 * normaliser and its GRPO learner.
 *
 * <pre>{@code
 * GrpoAgent agent = new GrpoAgent(4, 2, List.of("left", "center", "right"),
 *         GrpoConfig.builder().learningRate(3e-4).groupRobustnessWeight(0.2).build());
 * }</pre>
 */
public final class GrpoAgent {
    private final GrpoConfig config;
    private final List<String> groupNames;
    private final ActorCritic net;
    private final ObservationNormalizer normalizer;
    private final GrpoLearner learner;

    public GrpoAgent(int stateDim, int actionDim, List<String> groupNames, GrpoConfig config) {
        this(config, groupNames, ActorCritic.forConfig(stateDim, actionDim, config, DataType.FLOAT),
                new ObservationNormalizer(stateDim, config.normalizeObservations(), config.observationClip()));
    }

    private GrpoAgent(GrpoConfig config, List<String> groupNames, ActorCritic net, ObservationNormalizer normalizer) {
        if (groupNames.isEmpty()) throw new IllegalArgumentException("need at least one group");
        this.config = config;
        this.groupNames = List.copyOf(groupNames);
        this.net = net;
        this.normalizer = normalizer;
        this.learner = new GrpoLearner(config, net, groupNames.size());
    }

    public GrpoConfig config() {
        return config;
    }

    public List<String> groupNames() {
        return groupNames;
    }

    public ActorCritic net() {
        return net;
    }

    public ObservationNormalizer normalizer() {
        return normalizer;
    }

    public GrpoLearner learner() {
        return learner;
    }

    /** One GRPO update on a batch collected with this agent's policy. */
    public UpdateStats update(SampleBatch batch, double learningRate) {
        return learner.update(batch, learningRate);
    }

    /** The arg-max action for a raw state. */
    public int greedyAction(double[] state) {
        return greedyAction(state, -1L);
    }

    /** The arg-max action among the valid ones (bit k of {@code validActions}: action k). */
    public int greedyAction(double[] state, long validActions) {
        float[] in = new float[net.observationSize()];
        normalizer.normalize(state, in, 0);
        int[] out = new int[1];
        ActionSampler.greedy(net.logits(net.input(in, 1)), 1, net.actionCount(), new long[]{validActions}, out);
        return out[0];
    }
}
