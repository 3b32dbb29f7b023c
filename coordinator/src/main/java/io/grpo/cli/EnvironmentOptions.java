package io.grpo.cli;

import io.grpo.scenarios.EnvironmentCatalog;
import io.grpo.scenarios.EnvironmentSpec;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Iterator;

/** --env, --scenario and --scenario-file, shared by the commands that pick an environment. */
final class EnvironmentOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--env", paramLabel = "NAME", defaultValue = "hospital",
            description = "Environment: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = EnvNames.class)
    String env;

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "Hospital preset: urban, rural, pediatric, surge (default: urban).")
    String scenario;

    @Option(names = "--scenario-file", paramLabel = "FILE",
            description = "Hospital scenario file (HOCON; see scenarios/src/main/resources/scenarios/).")
    Path scenarioFile;

    /** The chosen environment; bad names and files are usage errors (exit 2). */
    EnvironmentSpec resolve() {
        return CliSupport.environment(mixee, env, scenario, scenarioFile);
    }

    static final class EnvNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return EnvironmentCatalog.names().iterator();
        }
    }
}
