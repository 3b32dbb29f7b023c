package io.grpo.scenarios;

import io.grpo.core.GrpoConfig;
import io.grpo.core.env.EnvironmentFactory;

import java.util.List;

/**
 * Everything a trainer needs to know about one named environment.
 *
 * @param name            name used on the command line
 * @param factory         makes independent copies
 * @param groupNames      the groups its samples are labelled with
 * @param defaults        hyperparameters tuned for it
 * @param solvedThreshold mean greedy return that counts as solved (NaN: none)
 * @param defaultEnvSteps training budget when none is given
 */
public record EnvironmentSpec(String name, EnvironmentFactory factory, List<String> groupNames, GrpoConfig defaults,
                              double solvedThreshold, long defaultEnvSteps) {
}
