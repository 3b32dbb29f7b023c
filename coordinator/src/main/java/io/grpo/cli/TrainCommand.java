package io.grpo.cli;

import io.grpo.coordinator.run.ClusterTrainingRun;
import io.grpo.coordinator.run.LocalTrainingRun;
import io.grpo.coordinator.run.RunDirectory;
import io.grpo.coordinator.run.TrainingSummary;
import io.grpo.core.GrpoConfig;
import io.grpo.core.train.TrainingOptions;
import io.grpo.node.NodeConfig;
import io.grpo.scenarios.EnvironmentCatalog;
import io.grpo.scenarios.EnvironmentSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a GRPO agent and write a run directory.",
                "Without --env/--scenario: the main job, hospital on all four scenarios with one shared learner, "
                        + "embedded in this JVM as a one-node Akka cluster.",
                "With --scenario/--scenario-file or --env cartpole: the single-process trainer on one environment."},
        footer = {"", "Examples:",
                "  grpo train                                   (embedded cluster: urban, rural, pediatric, surge)",
                "  grpo train --updates 50 --workers-per-scenario 2 --robustness 0.5 --robust-mode dro",
                "  grpo train --policy-layout per-scenario --grouping scenario",
                "  grpo train --scenario rural --robustness 0   (one scenario, single process)",
                "  grpo train --scenario-file my-hospital.conf",
                "  grpo train --env cartpole --set learning_rate=3e-4 --set num_envs=16"})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    EnvironmentOptions environment;

    @CommandLine.Mixin
    HyperparameterOptions hyper;

    @CommandLine.Mixin
    ClusterOptions cluster;

    @Option(names = "--workers-per-scenario", paramLabel = "N", defaultValue = "1",
            description = "Rollout workers per scenario in this JVM (cluster run; default: ${DEFAULT-VALUE}).")
    int workersPerScenario;

    @Option(names = "--max-env-steps", paramLabel = "N",
            description = "Training budget in environment steps (default: the environment's; "
                    + "2000000 per hospital scenario, 100000 for cartpole).")
    Long maxEnvSteps;

    @Option(names = "--eval-every", paramLabel = "N",
            description = "Single process only: greedy evaluation every N env steps; 0 = only at the end "
                    + "(default: the environment's; 200704 for hospital, 10240 for cartpole).")
    Long evalEvery;

    @Option(names = "--eval-episodes", paramLabel = "N", defaultValue = "100",
            description = "Episodes per greedy evaluation (default: ${DEFAULT-VALUE}).")
    int evalEpisodes;

    @Option(names = "--no-early-stop", description = "Single process only: keep training after the environment counts as solved.")
    boolean noEarlyStop;

    @Option(names = "--checkpoint-every", paramLabel = "UPDATES", defaultValue = "50",
            description = "Checkpoint every N updates, keeping the newest 3; 0 = final only (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory (default: runs/<env>-l<lambda>-<mode>-s<seed>-<time>).")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress output (for a cluster run: no per-update log lines).")
    boolean quiet;

    private static final List<String> CLUSTER_ONLY = List.of("--workers-per-scenario", "--samples-per-update",
            "--policy-layout", "--grouping", "--max-policy-lag", "--max-in-flight", "--scenarios");
    private static final List<String> LOCAL_ONLY = List.of("--eval-every", "--no-early-stop");

    @Override
    public Integer call() throws Exception {
        if (evalEpisodes < 1) throw usage("--eval-episodes must be >= 1, got " + evalEpisodes);
        if (checkpointEvery < 0) throw usage("--checkpoint-every must be >= 0, got " + checkpointEvery);
        if (maxEnvSteps != null && maxEnvSteps < 1) throw usage("--max-env-steps must be >= 1, got " + maxEnvSteps);
        boolean single = !environment.env.equalsIgnoreCase("hospital") || environment.scenario != null
                || environment.scenarioFile != null;
        for (String flag : single ? CLUSTER_ONLY : LOCAL_ONLY) {
            if (spec.commandLine().getParseResult().hasMatchedOption(flag)) {
                throw usage(flag + (single ? " applies to the cluster run (train without --env/--scenario/--scenario-file)"
                        : " applies to the single-process run (--scenario, --scenario-file or --env cartpole)"));
            }
        }
        return single ? trainSingleProcess() : trainEmbeddedCluster();
    }

    private int trainEmbeddedCluster() throws Exception {
        if (workersPerScenario < 1) throw usage("--workers-per-scenario must be >= 1, got " + workersPerScenario);
        GrpoConfig config = hyper.resolve(EnvironmentCatalog.hospitalDefaults());
        ClusterTrainingRun.Plan plan = cluster.plan(config, workersPerScenario, maxEnvSteps, evalEpisodes, checkpointEvery);
        NodeConfig node = NodeConfig.resolve("127.0.0.1", 0, List.of(), List.of(NodeConfig.COORDINATOR_ROLE,
                NodeConfig.WORKER_ROLE), 0, Map.of());
        ClusterTrainingRun run = cluster.prepare(plan, node);
        RunDirectory dir = CliSupport.runDirectory(spec, out, "hospital", config);
        int policies = plan.layout() == ClusterTrainingRun.PolicyLayout.SHARED ? 1 : plan.scenarios().size();
        spec.commandLine().getErr().printf(Locale.ROOT,
                "training %s on %s (lambda %s, %s, seed %d): %d updates x %,d samples, %d worker(s) x %d envs per "
                        + "scenario, embedded cluster -> %s%n",
                plan.layout() == ClusterTrainingRun.PolicyLayout.SHARED ? "one shared policy" : policies + " policies",
                String.join(", ", plan.scenarios().keySet()), config.groupRobustnessWeight(),
                config.robustMode().label(), config.seed(), plan.updates(), plan.samplesPerUpdate(), workersPerScenario,
                plan.envsPerWorker(), dir.root());
        return cluster.execute(run, dir, quiet, java.time.Duration.ofDays(7));
    }

    private int trainSingleProcess() throws Exception {
        EnvironmentSpec envSpec = environment.resolve();
        GrpoConfig config = hyper.resolve(envSpec.defaults());
        if (cluster.envsPerWorker != null) config = config.toBuilder().numEnvs(cluster.envsPerWorker(config)).build();
        long budget;
        if (cluster.updates != null) {
            if (maxEnvSteps != null) throw usage("give --updates or --max-env-steps, not both");
            if (cluster.updates < 1) throw usage("--updates must be >= 1, got " + cluster.updates);
            budget = (long) cluster.updates * config.batchSize();
        } else {
            budget = maxEnvSteps != null ? maxEnvSteps : envSpec.defaultEnvSteps();
        }
        long evalPeriod = evalEvery != null ? evalEvery : envSpec.defaultEvalEvery();
        if (evalPeriod < 0) throw usage("--eval-every must be >= 0, got " + evalPeriod);
        TrainingOptions options = new TrainingOptions(budget, evalPeriod, evalEpisodes, envSpec.solvedThreshold(),
                !noEarlyStop);

        RunDirectory dir = CliSupport.runDirectory(spec, out, envSpec.name().replace('/', '-'), config);
        spec.commandLine().getErr().printf(Locale.ROOT, "training %s (lambda %s, %s, seed %d) for up to %,d env steps -> %s%n",
                envSpec.name(), config.groupRobustnessWeight(), config.robustMode().label(), config.seed(), budget, dir.root());
        TrainingSummary s;
        long plannedSteps = (budget + config.batchSize() - 1) / config.batchSize() * config.batchSize();
        try (ConsoleProgress progress = new ConsoleProgress("train " + envSpec.name(), plannedSteps, quiet)) {
            s = new LocalTrainingRun(envSpec, config, options, checkpointEvery).run(dir, progress);
        }
        spec.commandLine().getOut().printf(Locale.ROOT,
                "%s: %,d env steps, %d updates in %.1f s (%,.0f steps/s); greedy return %.1f +- %.1f over %d episodes%s%n",
                s.runName(), s.envSteps(), s.updates(), s.wallSeconds(), s.envStepsPerSecond(), s.evalReturnMean(),
                s.evalReturnStd(), s.evalEpisodes(),
                s.solvedThreshold() == null ? ""
                        : s.solvedAtEnvSteps() != null ? "; solved at " + s.solvedAtEnvSteps() + " env steps" : "; not solved");
        spec.commandLine().getOut().println("run directory: " + dir.root());
        return 0;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
