package io.grpo.cli;

import io.grpo.coordinator.run.ClusterSummary;
import io.grpo.coordinator.run.ClusterTrainingRun;
import io.grpo.coordinator.run.RunDirectory;
import io.grpo.coordinator.run.ClusterTrainingRun.Grouping;
import io.grpo.coordinator.run.ClusterTrainingRun.PolicyLayout;
import io.grpo.core.GrpoConfig;
import io.grpo.core.train.TrainingListener;
import io.grpo.node.NodeConfig;
import io.grpo.scenarios.EnvironmentCatalog;
import io.grpo.scenarios.EnvironmentSpec;
import io.grpo.scenarios.hospital.HospitalScenario;
import io.grpo.scenarios.hospital.ScenarioFileException;
import io.grpo.scenarios.hospital.ScenarioLoader;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The flags of a cluster run: scenarios, policy layout, grouping, update budget, flow control. */
final class ClusterOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--scenarios", paramLabel = "NAME|FILE", split = ",",
            description = "Hospital scenarios to train on: presets (urban, rural, pediatric, surge) or .conf files "
                    + "(default: all four presets).")
    List<String> scenarios = List.of("urban", "rural", "pediatric", "surge");

    @Option(names = "--updates", paramLabel = "N",
            description = "Updates per policy (default: 2,000,000 env steps per scenario).")
    Integer updates;

    @Option(names = "--samples-per-update", paramLabel = "N",
            description = "Fresh samples per update (default: one batch from each embedded worker; "
                    + "8192 with remote workers).")
    Integer samplesPerUpdate;

    @Option(names = "--policy-layout", paramLabel = "LAYOUT", defaultValue = "shared",
            description = "shared (one policy for all scenarios) or per-scenario (the original's independent agents) "
                    + "(default: ${DEFAULT-VALUE}).")
    String policyLayout;

    @Option(names = "--grouping", paramLabel = "GROUPS", defaultValue = "demographic",
            description = "Groups of the robust term: demographic, or scenario (scenario x demographic: robust across "
                    + "hospitals too) (default: ${DEFAULT-VALUE}).")
    String grouping;

    @Option(names = "--envs-per-worker", paramLabel = "K", description = "Environment copies per worker (default: 16).")
    Integer envsPerWorker;

    @Option(names = "--min-workers", paramLabel = "N", defaultValue = "0",
            description = "Welcome workers only once N have registered (per learner), so that training starts with "
                    + "the whole cluster rather than the first node up; later joiners are welcomed at once "
                    + "(default: ${DEFAULT-VALUE}, start with the first).")
    int minWorkers;

    @Option(names = "--max-policy-lag", paramLabel = "N", defaultValue = "2",
            description = "Drop samples from policies more than N versions old (default: ${DEFAULT-VALUE}).")
    int maxPolicyLag;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "2",
            description = "Unacknowledged batches a worker may have before it pauses (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    static final int REMOTE_SAMPLES_PER_UPDATE = 8_192;

    Map<String, EnvironmentSpec> scenarioSpecs() {
        Map<String, EnvironmentSpec> out = new LinkedHashMap<>();
        for (String s : scenarios) {
            HospitalScenario sc = scenario(mixee, s);
            if (out.put(sc.name(), EnvironmentCatalog.hospital(sc)) != null) throw usage("--scenarios: '" + sc.name() + "' given twice");
        }
        if (out.isEmpty()) throw usage("--scenarios: give at least one scenario");
        return out;
    }

    /** A preset name, or a path to a scenario file. */
    static HospitalScenario scenario(CommandLine.Model.CommandSpec spec, String nameOrFile) {
        try {
            return nameOrFile.endsWith(".conf") || nameOrFile.contains("/")
                    ? ScenarioLoader.load(Path.of(nameOrFile)) : ScenarioLoader.preset(nameOrFile);
        } catch (ScenarioFileException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    int envsPerWorker(GrpoConfig config) {
        int k = envsPerWorker != null ? envsPerWorker : config.numEnvs();
        if (k < 1) throw usage("--envs-per-worker must be >= 1, got " + k);
        return k;
    }

    ClusterTrainingRun.Plan plan(GrpoConfig config, int workersPerScenario, Long maxEnvSteps, int evalEpisodes,
                                 int checkpointEvery) {
        Map<String, EnvironmentSpec> specs = scenarioSpecs();
        PolicyLayout layout = parse(PolicyLayout.class, "--policy-layout", policyLayout);
        Grouping groups = grouping.equalsIgnoreCase("scenario") ? Grouping.SCENARIO_DEMOGRAPHIC
                : parse(Grouping.class, "--grouping", grouping);
        if (maxPolicyLag < 0) throw usage("--max-policy-lag must be >= 0, got " + maxPolicyLag);
        if (maxInFlight < 1) throw usage("--max-in-flight must be >= 1, got " + maxInFlight);
        if (minWorkers < 0) throw usage("--min-workers must be >= 0, got " + minWorkers);
        int k = envsPerWorker(config);
        int scenariosPerPolicy = layout == PolicyLayout.SHARED ? specs.size() : 1;
        int samples = samplesPerUpdate != null ? samplesPerUpdate
                : workersPerScenario > 0 ? workersPerScenario * scenariosPerPolicy * k * config.rolloutSteps()
                : REMOTE_SAMPLES_PER_UPDATE;
        if (samples < 1) throw usage("--samples-per-update must be >= 1, got " + samples);
        int n;
        if (updates != null) {
            if (maxEnvSteps != null) throw usage("give --updates or --max-env-steps, not both");
            n = updates;
        } else {
            long steps = maxEnvSteps != null ? maxEnvSteps
                    : specs.values().iterator().next().defaultEnvSteps() * scenariosPerPolicy;
            n = (int) Math.max(1, (steps + samples - 1) / samples);
        }
        if (n < 1) throw usage("--updates must be >= 1, got " + n);
        return new ClusterTrainingRun.Plan(specs, layout, groups, config, n, samples, maxPolicyLag, workersPerScenario,
                k, maxInFlight, evalEpisodes, checkpointEvery, minWorkers);
    }

    /** The run, once its frames are known to fit (else a usage error, before anything is created). */
    ClusterTrainingRun prepare(ClusterTrainingRun.Plan plan, NodeConfig node) {
        return prepare(plan, node, false);
    }

    ClusterTrainingRun prepare(ClusterTrainingRun.Plan plan, NodeConfig node, boolean standby) {
        ClusterTrainingRun run = new ClusterTrainingRun(plan, node, standby);
        try {
            run.checkFrames();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return run;
    }

    /** Runs to the end, writes summary.json and prints the closing lines. */
    int execute(ClusterTrainingRun run, RunDirectory dir, boolean quiet, Duration timeout) throws IOException {
        if (quiet) CliSupport.quietLearnerLog();
        // The learner logs one line per update (with an ETA): that is the progress of a cluster run.
        ClusterSummary s = run.run(dir, TrainingListener.NONE, timeout);
        if (s == null) {
            mixee.commandLine().getOut().println("the run finished on the other coordinator; its summary is in "
                    + dir.summary());
            return 0;
        }
        dir.writeJson(dir.summary(), s);
        io.grpo.experiment.RunReport.writeQuietly(dir.root());
        ClusterReport.print(mixee.commandLine().getOut(), s, dir);
        return 0;
    }

    private <E extends Enum<E>> E parse(Class<E> type, String flag, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw usage(flag + ": unknown value '" + value + "'");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
