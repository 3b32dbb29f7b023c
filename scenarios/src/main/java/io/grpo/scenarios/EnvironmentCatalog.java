package io.grpo.scenarios;

import io.grpo.core.GrpoConfig;
import io.grpo.core.policy.HiddenActivation;
import io.grpo.scenarios.cartpole.CartPole;
import io.grpo.scenarios.hospital.HospitalEvaluation;
import io.grpo.scenarios.hospital.HospitalScenario;
import io.grpo.scenarios.hospital.HospitalSimulator;
import io.grpo.scenarios.hospital.ScenarioLoader;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The environments that can be named on the command line. */
public final class EnvironmentCatalog {
    public static final String CARTPOLE = "cartpole";
    public static final String HOSPITAL = "hospital";

    private EnvironmentCatalog() {}

    public static List<String> names() {
        return List.of(HOSPITAL, CARTPOLE);
    }

    /** CartPole-v1 with RL Zoo's tuned PPO (the GrpoConfig defaults). */
    public static EnvironmentSpec cartpole() {
        return new EnvironmentSpec(CARTPOLE, CartPole::new, CartPole.GROUPS, GrpoConfig.defaults(), 475.0,
                100_000L, 10_240L, null);
    }

    /**
     * PPO settings for the hospital: ReLU 64x64 (tanh cost most of the learner's time), 16
     * copies x 128 steps (2,048 samples an update), 4 epochs of 256-sample minibatches, a
     * long horizon (gamma 0.998, GAE 0.98: a patient lost to waiting costs hours after the
     * decision that caused it; on urban this beat gamma 0.99, 0.995 and 0.999), lr 3e-4
     * (with 1e-3 surge's policy ended below FIFO in five seeds of five; with 1e-4 it gained in
     * urban and pediatric but lost most of its lead in surge), a small entropy bonus, rewards
     * scaled by 0.1 and an unclipped value loss.
     */
    public static GrpoConfig hospitalDefaults() {
        return GrpoConfig.builder().hiddenSizes(List.of(64, 64)).activation(HiddenActivation.RELU).learningRate(3e-4).annealLearningRate(true)
                .skipForcedSteps(true).numEnvs(16).rolloutSteps(128).rewardScale(0.1).gamma(0.998).gaeLambda(0.98).updateEpochs(4)
                .minibatchSize(256).clipEpsilon(0.2).clipValueLoss(false).valueCoef(0.5).entropyCoef(0.003)
                .maxGradNorm(0.5).build();
    }

    /** A hospital scenario as a trainable environment, grouped by patient demographic. */
    public static EnvironmentSpec hospital(HospitalScenario scenario) {
        return new EnvironmentSpec(HOSPITAL + "/" + scenario.name(), () -> new HospitalSimulator(scenario),
                HospitalSimulator.GROUP_NAMES, hospitalDefaults(), Double.NaN, 2_000_000L, 200_704L,
                (net, normalizer, episodes, seed) -> Map.of(scenario.name(),
                        HospitalReports.scenarioBlock(HospitalEvaluation.ofAgent(scenario, net, normalizer, episodes, seed))));
    }

    /**
     * Resolves the command line's environment: {@code cartpole}, or {@code hospital} with a
     * preset name or a scenario file (the preset {@code urban} when neither is given).
     */
    public static EnvironmentSpec resolve(String env, String scenario, Path scenarioFile) {
        switch (env.toLowerCase(Locale.ROOT)) {
            case CARTPOLE -> {
                if (scenario != null || scenarioFile != null) {
                    throw new IllegalArgumentException("--scenario and --scenario-file apply to --env hospital only");
                }
                return cartpole();
            }
            case HOSPITAL -> {
                if (scenario != null && scenarioFile != null) {
                    throw new IllegalArgumentException("give --scenario or --scenario-file, not both");
                }
                HospitalScenario sc = scenarioFile != null ? ScenarioLoader.load(scenarioFile)
                        : ScenarioLoader.preset(scenario != null ? scenario : "urban");
                return hospital(sc);
            }
            default -> throw new IllegalArgumentException(
                    "unknown environment '" + env + "' (available: " + String.join(", ", names()) + ")");
        }
    }
}
