package io.grpo.coordinator.run;

import io.grpo.coordinator.learner.LearnerListener;

import java.util.List;
import java.util.Map;

/**
 * {@code summary.json} of a cluster run (keys in snake_case).
 *
 * @param mode        embedded (learner and workers in this JVM) or coordinator (remote workers)
 * @param policies    policy id -> its final version, checkpoint and last update's group statistics
 * @param scenarios   scenario -> greedy evaluation on held-out seeds (returns, per-group outcomes, fairness)
 * @param cluster     membership and flow counters, summed over the policies' learners
 */
public record ClusterSummary(String runName, String mode, String env, List<String> scenarioNames, String policyLayout,
                             String grouping, long seed, double robustnessWeight, String robustMode, int updates,
                             long envSteps, double wallSeconds, double envStepsPerSecond, int evalEpisodes,
                             double evalReturnMean, Map<String, PolicySummary> policies, Map<String, Object> scenarios,
                             Cluster cluster, Timing timing) {

    public record PolicySummary(long policyVersion, String checkpoint, Map<String, TrainingSummary.GroupSummary> groups) {}

    /**
     * @param updatesRolledBack updates undone because they left non-finite parameters
     * @param workersLost       workers that went away before the end (each loses at most its in-flight batches)
     * @param updatesLostToFailover updates of a dead learner host not in the checkpoint the next one resumed from
     * @param batchesLostInFlight   batches sent to a learner that died before acknowledging them
     */
    public record Cluster(int nodesSeen, int workersSeen, long batchesReceived, long batchesDroppedStale,
                          long batchesRejected, long samplesUsed, long policyVersion, long maxPolicyLagUsed,
                          long updatesRolledBack, long workersLost, long updatesLostToFailover,
                          long batchesLostInFlight) {
        static Cluster sum(List<LearnerListener.ClusterStats> all) {
            int nodes = 0, workers = 0;
            long received = 0, stale = 0, rejected = 0, used = 0, version = 0, lag = 0, rolledBack = 0, lost = 0;
            long updatesLost = 0, batchesLost = 0;
            for (var s : all) {
                nodes = Math.max(nodes, s.nodesSeen());
                workers += s.workersSeen();
                received += s.batchesReceived();
                stale += s.batchesDroppedStale();
                rejected += s.batchesRejected();
                used += s.samplesUsed();
                version = Math.max(version, s.policyVersion());
                lag = Math.max(lag, s.maxPolicyLagUsed());
                rolledBack += s.updatesRolledBack();
                lost += s.workersLost();
                updatesLost += s.updatesLostToFailover();
                batchesLost += s.batchesLostInFlight();
            }
            return new Cluster(nodes, workers, received, stale, rejected, used, version, lag, rolledBack, lost,
                    updatesLost, batchesLost);
        }
    }

    /**
     * Where the training time went (the final evaluation excluded). CPU times are per thread and
     * summed, so on a busy machine they show the work done rather than the waiting for a core.
     *
     * @param processCpuSeconds   this JVM's CPU time (all threads: workers, learner, GC, JIT, Akka)
     * @param rolloutCpuSeconds   workers collecting accepted batches: environment steps and inference
     *                            (remote workers' time included: it travels with their batches)
     * @param inferenceCpuSeconds of which policy forward passes
     * @param updateCpuSeconds    learners in GRPO updates
     * @param gcSeconds           this JVM's garbage-collection time
     * @param heapPeakBytes       this JVM's peak heap use during training (sum of the heap pools' peaks: an upper bound)
     * @param heapMaxBytes        its heap limit (-Xmx)
     */
    public record Timing(double wallSeconds, double processCpuSeconds, double rolloutCpuSeconds,
                         double inferenceCpuSeconds, double updateCpuSeconds, double gcSeconds, long heapPeakBytes,
                         long heapMaxBytes) {
        static Timing of(double wall, double processCpu, double gc, long heapPeak, List<LearnerListener.ClusterStats> all) {
            double rollout = 0, inference = 0, update = 0;
            for (var s : all) {
                rollout += s.rolloutSeconds();
                inference += s.inferenceSeconds();
                update += s.updateSeconds();
            }
            return new Timing(wall, processCpu, rollout, inference, update, gc, heapPeak, HeapPeak.maxBytes());
        }
    }
}
