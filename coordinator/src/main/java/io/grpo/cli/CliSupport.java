package io.grpo.cli;

import io.grpo.scenarios.EnvironmentCatalog;
import io.grpo.scenarios.EnvironmentSpec;
import io.grpo.scenarios.hospital.ScenarioFileException;
import picocli.CommandLine;

import java.nio.file.Path;

/** Flag handling shared by the commands. */
final class CliSupport {
    private CliSupport() {}

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
}
