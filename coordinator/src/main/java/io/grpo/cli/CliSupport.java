package io.grpo.cli;

import io.grpo.coordinator.run.RunDirectory;
import io.grpo.core.GrpoConfig;
import io.grpo.core.RobustMode;
import io.grpo.scenarios.EnvironmentCatalog;
import io.grpo.scenarios.EnvironmentSpec;
import io.grpo.scenarios.hospital.ScenarioFileException;
import picocli.CommandLine;

import java.nio.file.Path;

/** Flag handling shared by the commands. */
final class CliSupport {
    private CliSupport() {}

    /** --robustness, checked to lie in [0, 1]. */
    static double robustness(CommandLine.Model.CommandSpec spec, double lambda) {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--robustness must be in [0, 1], got " + lambda);
        }
        return lambda;
    }

    /** --robust-mode parsed, or a usage error listing the modes. */
    static RobustMode robustMode(CommandLine.Model.CommandSpec spec, String mode) {
        try {
            return RobustMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--robust-mode: " + e.getMessage());
        }
    }

    /** The environment named by --env/--scenario/--scenario-file; bad names and files are usage errors (exit 2). */
    static EnvironmentSpec environment(CommandLine.Model.CommandSpec spec, String env, String scenario, Path scenarioFile) {
        try {
            return EnvironmentCatalog.resolve(env, scenario, scenarioFile);
        } catch (ScenarioFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), (e.getMessage().startsWith("unknown environment")
                    ? "--env: " : "") + e.getMessage());
        }
    }

    /** The run directory at --out or the default path; an unusable one is a usage error. */
    static RunDirectory runDirectory(CommandLine.Model.CommandSpec spec, Path out, String name, GrpoConfig config) {
        Path path = out != null ? out
                : RunDirectory.defaultPath(name, config.groupRobustnessWeight(), config.robustMode().label(), config.seed());
        try {
            return RunDirectory.create(path);
        } catch (java.io.IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot use run directory: " + e.getMessage());
        }
    }

    /** Silences the learner's per-update INFO lines (--quiet on a cluster run). */
    static void quietLearnerLog() {
        if (org.slf4j.LoggerFactory.getLogger("io.grpo.coordinator.learner") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
