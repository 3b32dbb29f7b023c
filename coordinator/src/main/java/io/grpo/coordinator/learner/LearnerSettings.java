package io.grpo.coordinator.learner;

import io.grpo.core.GrpoConfig;

import java.util.List;

/**
 * What one learner (one policy id) trains and how.
 *
 * @param runId            name of the run, told to workers
 * @param policyId         the policy this learner owns ("shared", or a scenario name)
 * @param config           hyperparameters; numEnvs x rolloutSteps is not used, rolloutSteps is
 * @param scenarios        scenarios whose workers it accepts, in group-offset order
 * @param groupNames       groups it weighs
 * @param groupsPerScenario demographic groups per scenario; groups are scenario x demographic when
 *                         {@code groupNames.size() == scenarios.size() * groupsPerScenario} and more than one scenario
 * @param observationSize  every scenario's observation size
 * @param actionCount      every scenario's action count
 * @param updates          the run ends after this many updates
 * @param samplesPerUpdate an update starts once this many fresh samples are buffered
 * @param maxPolicyLag     samples from a policy more than this many versions old are dropped
 * @param maxBatchBytes    largest batch the node's Artery frame carries, told to workers
 */
public record LearnerSettings(String runId, String policyId, GrpoConfig config, List<String> scenarios,
                              List<String> groupNames, int groupsPerScenario, int observationSize, int actionCount,
                              int updates, int samplesPerUpdate, int maxPolicyLag, long maxBatchBytes, int minWorkers) {
    /** A learner that welcomes every worker at once. */
    public LearnerSettings(String runId, String policyId, GrpoConfig config, List<String> scenarios,
                           List<String> groupNames, int groupsPerScenario, int observationSize, int actionCount,
                           int updates, int samplesPerUpdate, int maxPolicyLag, long maxBatchBytes) {
        this(runId, policyId, config, scenarios, groupNames, groupsPerScenario, observationSize, actionCount, updates,
                samplesPerUpdate, maxPolicyLag, maxBatchBytes, 0);
    }

    public LearnerSettings {
        scenarios = List.copyOf(scenarios);
        groupNames = List.copyOf(groupNames);
        if (updates < 1) throw new IllegalArgumentException("updates must be >= 1, got " + updates);
        if (samplesPerUpdate < 1) throw new IllegalArgumentException("samples per update must be >= 1, got " + samplesPerUpdate);
        if (maxPolicyLag < 0) throw new IllegalArgumentException("max policy lag must be >= 0, got " + maxPolicyLag);
        if (minWorkers < 0) throw new IllegalArgumentException("min workers must be >= 0, got " + minWorkers);
        if (scenarios.isEmpty()) throw new IllegalArgumentException("a learner needs at least one scenario");
    }

    /** Whether groups are scenario x demographic (robust across hospitals as well as patients). */
    public boolean groupsByScenario() {
        return scenarios.size() > 1 && groupNames.size() == scenarios.size() * groupsPerScenario;
    }

    /** Offset added to a scenario's demographic group label. */
    public int groupOffset(String scenario) {
        return groupsByScenario() ? scenarios.indexOf(scenario) * groupsPerScenario : 0;
    }
}
