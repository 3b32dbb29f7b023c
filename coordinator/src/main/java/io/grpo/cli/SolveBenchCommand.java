package io.grpo.cli;

import io.grpo.coordinator.run.LocalTrainingRun;
import io.grpo.coordinator.run.RunDirectory;
import io.grpo.coordinator.run.TrainingSummary;
import io.grpo.core.GrpoConfig;
import io.grpo.core.RobustMode;
import io.grpo.core.train.TrainingListener;
import io.grpo.core.train.TrainingOptions;
import io.grpo.scenarios.EnvironmentSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "solve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train on several seeds and report env steps and wall time to solve.",
                "Each seed is a full `grpo train` run (its run directory is kept under --out)."})
final class SolveBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--env", paramLabel = "NAME", defaultValue = "cartpole",
            description = "Environment with a solved threshold (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "5", description = "Seeds 1..N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = {"--robustness", "--lambda"}, paramLabel = "LAMBDA", defaultValue = "0.2",
            description = "Group robustness weight (default: ${DEFAULT-VALUE}).")
    double robustness;

    @Option(names = "--robust-mode", paramLabel = "MODE", defaultValue = "max", description = "max or dro (default: ${DEFAULT-VALUE}).")
    String robustMode;

    @Option(names = "--max-env-steps", paramLabel = "N", defaultValue = "100000",
            description = "Budget per seed (default: ${DEFAULT-VALUE}).")
    long maxEnvSteps;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "10240",
            description = "Greedy 100-episode evaluation period in env steps (default: ${DEFAULT-VALUE}).")
    long evalEvery;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the per-seed runs go (default: runs/bench-solve-<env>-<time>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        EnvironmentSpec envSpec = CliSupport.environment(spec, env, null, null);
        if (Double.isNaN(envSpec.solvedThreshold())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--env " + env + " has no solved threshold");
        }
        if (seeds < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--seeds must be >= 1, got " + seeds);
        CliSupport.robustness(spec, robustness);
        RobustMode mode = CliSupport.robustMode(spec, robustMode);
        Path root = out != null ? out : Path.of("runs", "bench-solve-" + envSpec.name() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%s: %d seeds, lambda %s (%s), budget %,d env steps, greedy eval of 100 episodes every %,d steps, threshold %.0f%n",
                envSpec.name(), seeds, robustness, mode.label(), maxEnvSteps, evalEvery, envSpec.solvedThreshold());
        w.printf("%-6s %16s %14s %14s %12s%n", "seed", "steps_to_solve", "wall_seconds", "final_return", "steps/s");
        w.flush();
        List<Double> walls = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        int solved = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            GrpoConfig config = envSpec.defaults().toBuilder().seed(seed).groupRobustnessWeight(robustness).robustMode(mode).build();
            TrainingOptions options = new TrainingOptions(maxEnvSteps, evalEvery, 100, envSpec.solvedThreshold(), true);
            RunDirectory dir = RunDirectory.create(root.resolve("seed-" + seed));
            TrainingSummary s = new LocalTrainingRun(envSpec, config, options, 0).run(dir, TrainingListener.NONE);
            walls.add(s.wallSeconds());
            if (s.solvedAtEnvSteps() != null) {
                solved++;
                steps.add(s.solvedAtEnvSteps());
            }
            w.printf(Locale.ROOT, "%-6d %16s %14.1f %14.1f %12.0f%n", seed,
                    s.solvedAtEnvSteps() != null ? String.format(Locale.ROOT, "%,d", s.solvedAtEnvSteps()) : "not solved",
                    s.wallSeconds(), s.evalReturnMean(), s.envStepsPerSecond());
            w.flush();
        }
        w.printf(Locale.ROOT, "%-6s %16s %14.1f%n", "median",
                steps.isEmpty() ? "-" : String.format(Locale.ROOT, "%,.0f", median(steps.stream().mapToDouble(Long::doubleValue).toArray())),
                median(walls.stream().mapToDouble(Double::doubleValue).toArray()));
        w.printf(Locale.ROOT, "solved %d of %d seeds within %,d env steps (median over solved seeds); runs in %s%n",
                solved, seeds, maxEnvSteps, root);
        return 0;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
