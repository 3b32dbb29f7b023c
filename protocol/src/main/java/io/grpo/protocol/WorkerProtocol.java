package io.grpo.protocol;

import io.grpo.core.policy.ObservationNormalizer;

/** Messages a rollout worker receives from its learner. */
public final class WorkerProtocol {
    private WorkerProtocol() {}

    /** Everything a worker accepts; workers add private messages of their own. */
    public interface Command {}

    /** Reply to a registration: how to roll out, and the policy to start from. */
    public record Welcome(String runId, RolloutSettings settings, PolicyWeights weights) implements Command, WireMessage {}

    /** Reply to a registration the learner cannot accept (unknown scenario, wrong shape, batch too big). */
    public record Rejected(String reason) implements Command, WireMessage {}

    /**
     * A new policy version. {@code parameters} is {@code ActorCritic.parameters()} (policy then
     * value net); the normaliser is the one the learner's policy expects its inputs through.
     */
    public record PolicyWeights(String policyId, long version, float[] parameters,
                                ObservationNormalizer.State normalizer) implements Command, WireMessage {}

    /** Outcome of one batch: it releases one slot of the worker's in-flight window. */
    public record BatchAck(long sequence, AckStatus status) implements Command, WireMessage {}

    public enum AckStatus {
        /** Buffered for the next update. */
        ACCEPTED,
        /** Older than the allowed policy lag: dropped and counted. */
        STALE,
        /** Malformed (shape, group label, non-finite number): dropped and counted. */
        REJECTED,
        /** From a worker this learner does not know (it restarted or moved): register again. */
        UNREGISTERED
    }

    /** The run is over (or the learner gave up on this worker): stop rolling out. */
    public record Stop(String reason) implements Command, WireMessage {}
}
