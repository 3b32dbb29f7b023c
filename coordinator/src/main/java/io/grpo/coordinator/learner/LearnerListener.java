package io.grpo.coordinator.learner;

import io.grpo.core.train.GrpoAgent;
import io.grpo.core.update.UpdateStats;

import java.util.Map;

/**
 * What a learner reports, called on the learner's thread: metrics, checkpoints and progress
 * live behind it so the actor stays a thin shell.
 */
public interface LearnerListener {
    /** After each update, with the agent already holding the new version. */
    void onUpdate(GrpoAgent agent, ClusterUpdate update);

    /** Once, after the last update; the agent holds the final policy. */
    void onFinished(GrpoAgent agent, ClusterStats stats);

    /**
     * The learner started (after a fail-over or hand-over) from a checkpoint that already holds
     * the final version: another coordinator finished and reported the run; nothing to do here.
     */
    default void onFinishedElsewhere() {}

    /** The learner hit an unexpected error and stopped; the run cannot finish. */
    void onFailed(Throwable error);

    /**
     * @param envSteps         samples received and accepted so far (the run's env steps)
     * @param returnsByScenario mean undiscounted return of each scenario's last 100 finished episodes (NaN: none yet)
     * @param worstGroup       the group with the highest policy loss in this update
     */
    record ClusterUpdate(int update, long envSteps, double seconds, long episodes, double meanReturn,
                         Map<String, Double> returnsByScenario, String worstGroup, UpdateStats stats,
                         ClusterStats cluster) {}

    /**
     * The {@code cluster} block of summary.json.
     *
     * @param rolloutSeconds   workers' CPU time collecting accepted batches, summed over workers
     * @param inferenceSeconds of which policy forward passes
     * @param updateSeconds    the learner's CPU time in GRPO updates
     * @param updatesRolledBack updates that left non-finite parameters and were undone (not broadcast)
     * @param workersLost      registered workers that went away (stopped, or their node died) before the end
     * @param updatesLostToFailover versions the workers had seen beyond the one this learner resumed at
     * @param batchesLostInFlight   batches workers sent to a previous learner that never acknowledged them
     */
    record ClusterStats(int nodesSeen, int workersSeen, long batchesReceived, long batchesDroppedStale,
                        long batchesRejected, long samplesUsed, long policyVersion, long maxPolicyLagUsed,
                        double rolloutSeconds, double inferenceSeconds, double updateSeconds,
                        long updatesRolledBack, long workersLost, long updatesLostToFailover,
                        long batchesLostInFlight) {}
}
