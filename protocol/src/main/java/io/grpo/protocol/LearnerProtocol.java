package io.grpo.protocol;

import akka.actor.typed.ActorRef;
import io.grpo.core.policy.ObservationNormalizer;

/** Messages a learner receives from rollout workers. */
public final class LearnerProtocol {
    private LearnerProtocol() {}

    /** Everything a learner accepts; the learner adds private messages of its own. */
    public interface Command {}

    /**
     * A worker asks to join (again, after a learner fail-over). Answered with
     * {@link WorkerProtocol.Welcome} or {@link WorkerProtocol.Rejected}.
     *
     * @param lastVersionSeen newest policy version the worker received before (-1: none); a new
     *                        learner learns from it how many updates a fail-over lost
     * @param batchesUnacked  batches it sent to a learner that never acknowledged them (lost in flight)
     */
    public record RegisterWorker(ActorRef<WorkerProtocol.Command> worker, String workerId, String scenario,
                                 int observationSize, int actionCount, int envCount, long lastVersionSeen,
                                 int batchesUnacked) implements Command, WireMessage {
        public RegisterWorker(ActorRef<WorkerProtocol.Command> worker, String workerId, String scenario,
                              int observationSize, int actionCount, int envCount) {
            this(worker, workerId, scenario, observationSize, actionCount, envCount, -1, 0);
        }
    }

    /**
     * {@code steps x envs} samples, row {@code t * envs + i}, acted by policy {@code policyVersion};
     * advantages and returns were computed by the worker with GAE on its behaviour values, and
     * observations are normalised exactly as the behaviour policy saw them.
     *
     * @param sequence          the worker's batch counter, echoed in the ack
     * @param rawObservations   moments of the raw observations, folded into the learner's normaliser
     * @param episodeReturns    undiscounted returns of episodes that finished in this batch
     * @param rolloutNanos      the worker thread's CPU time collecting this batch (environment steps and inference)
     * @param inferenceNanos    of which policy forward passes
     */
    public record TrajectoryBatch(ActorRef<WorkerProtocol.Command> replyTo, String workerId, String scenario,
                                  String policyId, long policyVersion, long sequence, int observationSize,
                                  float[] observations, int[] actions, float[] rewards, boolean[] terminated,
                                  boolean[] truncated, float[] behaviourLogProbs, float[] values, float[] advantages,
                                  float[] returns, int[] groups, long[] actionMasks,
                                  ObservationNormalizer.State rawObservations, float[] episodeReturns,
                                  int[] episodeLengths, long rolloutNanos, long inferenceNanos)
            implements Command, WireMessage {
        public int size() {
            return actions.length;
        }
    }
}
