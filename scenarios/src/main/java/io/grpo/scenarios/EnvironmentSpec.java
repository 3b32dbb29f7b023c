package io.grpo.scenarios;

import io.grpo.core.GrpoConfig;
import io.grpo.core.env.EnvironmentFactory;
import io.grpo.core.policy.ActorCritic;
import io.grpo.core.policy.ObservationNormalizer;

import java.util.List;
import java.util.Map;

/**
 * Everything a trainer needs to know about one named environment.
 *
 * @param name               name used on the command line (with the scenario, for hospitals)
 * @param factory            makes independent copies
 * @param groupNames         the groups its samples are labelled with
 * @param defaults           hyperparameters tuned for it
 * @param solvedThreshold    mean greedy return that counts as solved (NaN: none)
 * @param defaultEnvSteps    training budget when none is given
 * @param defaultEvalEvery   greedy evaluation period in env steps when none is given (0: at the end only)
 * @param detailedEvaluation environment-specific final evaluation for summary.json, or null
 */
public record EnvironmentSpec(String name, EnvironmentFactory factory, List<String> groupNames, GrpoConfig defaults,
                              double solvedThreshold, long defaultEnvSteps, long defaultEvalEvery,
                              DetailedEvaluation detailedEvaluation) {

    public EnvironmentSpec {
        groupNames = List.copyOf(groupNames);
    }

    /** Greedy evaluation that reports more than returns (e.g. the hospital's fairness block). */
    @FunctionalInterface
    public interface DetailedEvaluation {
        /** The {@code scenarios} block of summary.json: scenario name -> results. */
        Map<String, Object> evaluate(ActorCritic net, ObservationNormalizer normalizer, int episodes, long seed);
    }
}
