package io.grpo.cli;

import io.grpo.coordinator.run.ClusterTrainingRun;
import io.grpo.coordinator.run.RunDirectory;
import io.grpo.core.GrpoConfig;
import io.grpo.node.NodeConfig;
import io.grpo.scenarios.EnvironmentCatalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "coordinator", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the learner(s) of a cluster training run; rollout workers join from other nodes "
                + "(grpo worker). Finishes after --updates, writes the run directory, stops the workers and exits 0."},
        footer = {"", "Examples:",
                "  grpo coordinator --host 10.0.0.1 --updates 100",
                "  grpo worker --scenario urban --host 10.0.0.2 --seed-nodes 10.0.0.1:2552",
                "", "Environment: GRPO_HOST, GRPO_PORT, GRPO_SEED_NODES, GRPO_BIND_HOST, GRPO_HEARTBEAT_INTERVAL,",
                "  GRPO_HEARTBEAT_PAUSE, GRPO_STABLE_AFTER, GRPO_TLS_KEYSTORE, GRPO_TLS_TRUSTSTORE,",
                "  GRPO_TLS_PASSWORD_FILE or GRPO_TLS_PASSWORD, GRPO_TLS_HOSTNAME_VERIFICATION (flags win)."})
final class CoordinatorCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    NodeOptions nodeOptions;

    @CommandLine.Mixin
    HyperparameterOptions hyper;

    @CommandLine.Mixin
    ClusterOptions cluster;

    @Option(names = "--workers-per-scenario", paramLabel = "N", defaultValue = "0",
            description = "Also run this many workers per scenario on this node (default: ${DEFAULT-VALUE}).")
    int workersPerScenario;

    @Option(names = "--max-env-steps", paramLabel = "N", description = "Budget in env steps instead of --updates.")
    Long maxEnvSteps;

    @Option(names = "--eval-episodes", paramLabel = "N", defaultValue = "100",
            description = "Held-out episodes per scenario in the final evaluation (default: ${DEFAULT-VALUE}).")
    int evalEpisodes;

    @Option(names = "--checkpoint-every", paramLabel = "UPDATES", defaultValue = "50",
            description = "Checkpoint every N updates, keeping the newest 3; 0 = final only (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "1440",
            description = "Give up when the run has not finished after this long (default: ${DEFAULT-VALUE}).")
    long timeoutMinutes;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/hospital-...).")
    Path out;

    @Option(names = "--standby",
            description = "Stand by for fail-over: join --seed-nodes as a second coordinator sharing --out (the same run "
                    + "directory, on a shared disk across hosts); if the node hosting the learner dies, the learner "
                    + "resumes here from the newest valid checkpoint. Give the same training flags as the first.")
    boolean standby;

    @Option(names = {"-q", "--quiet"}, description = "No progress output (for a cluster run: no per-update log lines).")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (workersPerScenario < 0) throw usage("--workers-per-scenario must be >= 0, got " + workersPerScenario);
        if (evalEpisodes < 1) throw usage("--eval-episodes must be >= 1, got " + evalEpisodes);
        if (checkpointEvery < 0) throw usage("--checkpoint-every must be >= 0, got " + checkpointEvery);
        if (timeoutMinutes < 1) throw usage("--timeout must be >= 1 minute, got " + timeoutMinutes);
        List<String> roles = workersPerScenario > 0 ? List.of(NodeConfig.COORDINATOR_ROLE, NodeConfig.WORKER_ROLE)
                : List.of(NodeConfig.COORDINATOR_ROLE);
        NodeConfig node = nodeOptions.resolve(roles, NodeConfig.DEFAULT_COORDINATOR_PORT);
        if (standby && node.seedNodes().isEmpty()) throw usage("--standby needs --seed-nodes (the first coordinator)");
        if (standby && out == null) throw usage("--standby needs --out: the run directory it shares with the first coordinator");
        GrpoConfig config = hyper.resolve(EnvironmentCatalog.hospitalDefaults());
        ClusterTrainingRun.Plan plan = cluster.plan(config, workersPerScenario, maxEnvSteps, evalEpisodes, checkpointEvery);
        ClusterTrainingRun run = cluster.prepare(plan, node, standby);
        RunDirectory dir = standby ? attach(out) : CliSupport.runDirectory(spec, out, "hospital", config);
        spec.commandLine().getErr().printf(Locale.ROOT,
                (standby ? "standby " : "") + "coordinator at %s:%d over %s (seeds %s): %s, %d updates x %,d samples -> %s%n",
                node.host(), node.port(), node.tls() != null ? "TLS" : "plain TCP",
                node.seedNodes().isEmpty() ? "none: this node starts the cluster" : String.join(",", node.seedNodes()),
                String.join(", ", plan.scenarios().keySet()), plan.updates(), plan.samplesPerUpdate(), dir.root());
        return cluster.execute(run, dir, quiet, Duration.ofMinutes(timeoutMinutes));
    }

    private RunDirectory attach(Path path) {
        try {
            return RunDirectory.attach(path);
        } catch (java.io.IOException e) {
            throw usage("cannot use run directory: " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
