package io.grpo.protocol;

/**
 * What a worker needs from the learner's configuration to act with its policy and turn
 * trajectories into learner-ready samples; the learner is the single source of truth.
 *
 * @param rolloutSteps      steps per environment copy in one batch
 * @param skipForcedSteps   collect only at choices (GrpoConfig#skipForcedSteps)
 * @param hiddenSizes       the policy's hidden layer widths
 * @param activation        hidden activation label (tanh, relu)
 * @param groupOffset       added to the scenario's demographic group: non-zero when groups are scenario x demographic
 * @param groupCount        number of groups the learner weighs
 * @param maxBatchBytes     largest serialized batch the learner's node accepts (its Artery frame)
 */
public record RolloutSettings(int rolloutSteps, double gamma, double gaeLambda, double rewardScale,
                              boolean maskInvalidActions, boolean skipForcedSteps, boolean normalizeObservations, double observationClip,
                              int[] hiddenSizes, String activation, int groupOffset, int groupCount,
                              long maxBatchBytes) implements WireMessage {

    /** The same settings for a worker whose scenario's groups start at {@code offset}. */
    public RolloutSettings withGroupOffset(int offset) {
        return new RolloutSettings(rolloutSteps, gamma, gaeLambda, rewardScale, maskInvalidActions, skipForcedSteps,
                normalizeObservations, observationClip, hiddenSizes, activation, offset, groupCount, maxBatchBytes);
    }
}
