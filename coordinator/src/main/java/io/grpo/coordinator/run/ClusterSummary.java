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
                             Cluster cluster) {

    public record PolicySummary(long policyVersion, String checkpoint, Map<String, TrainingSummary.GroupSummary> groups) {}

    /**
     * @param rolloutSeconds   workers' time collecting the accepted batches (env steps + inference), summed over workers
     * @param inferenceSeconds of which policy forward passes
     * @param updateSeconds    learners' time in GRPO updates
     */
    public record Cluster(int nodesSeen, int workersSeen, long batchesReceived, long batchesDroppedStale,
                          long batchesRejected, long samplesUsed, long policyVersion, long maxPolicyLagUsed,
                          double rolloutSeconds, double inferenceSeconds, double updateSeconds) {
        static Cluster sum(List<LearnerListener.ClusterStats> all) {
            int nodes = 0, workers = 0;
            long received = 0, stale = 0, rejected = 0, used = 0, version = 0, lag = 0;
            double rollout = 0, inference = 0, update = 0;
            for (var s : all) {
                nodes = Math.max(nodes, s.nodesSeen());
                workers += s.workersSeen();
                received += s.batchesReceived();
                stale += s.batchesDroppedStale();
                rejected += s.batchesRejected();
                used += s.samplesUsed();
                version = Math.max(version, s.policyVersion());
                lag = Math.max(lag, s.maxPolicyLagUsed());
                rollout += s.rolloutSeconds();
                inference += s.inferenceSeconds();
                update += s.updateSeconds();
            }
            return new Cluster(nodes, workers, received, stale, rejected, used, version, lag, rollout, inference, update);
        }
    }
}
