package io.grpo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpo.coordinator.run.Json;
import io.grpo.coordinator.run.LocalTrainingRun;
import io.grpo.coordinator.run.RunDirectory;
import io.grpo.coordinator.run.TrainingSummary;
import io.grpo.core.GrpoConfig;
import io.grpo.core.RobustMode;
import io.grpo.core.train.TrainingOptions;
import io.grpo.scenarios.EnvironmentSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a GRPO agent in this JVM and write a run directory.",
        footer = {"", "Examples:",
                "  grpo train                                   (hospital, urban scenario)",
                "  grpo train --scenario rural --robustness 0.5 --robust-mode dro",
                "  grpo train --scenario-file my-hospital.conf",
                "  grpo train --env cartpole",
                "  grpo train --env cartpole --set learning_rate=3e-4 --set num_envs=16"})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    EnvironmentOptions environment;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"--robustness", "--lambda"}, paramLabel = "LAMBDA", defaultValue = "0.2",
            description = "Group robustness weight in [0, 1]: 0 = PPO, 1 = fully robust (default: ${DEFAULT-VALUE}).")
    double robustness;

    @Option(names = "--robust-mode", paramLabel = "MODE", defaultValue = "max",
            description = "Worst-group term: max (the original rule) or dro (Group DRO weights) (default: ${DEFAULT-VALUE}).")
    String robustMode;

    @Option(names = "--dro-eta", paramLabel = "ETA",
            description = "Group DRO step size eta (default: the environment's, 0.01).")
    Double droEta;

    @Option(names = "--max-env-steps", paramLabel = "N",
            description = "Training budget in environment steps (default: the environment's; "
                    + "2000000 for hospital, 100000 for cartpole).")
    Long maxEnvSteps;

    @Option(names = "--eval-every", paramLabel = "N",
            description = "Greedy evaluation every N env steps; 0 = only at the end "
                    + "(default: the environment's; 200704 for hospital, 10240 for cartpole).")
    Long evalEvery;

    @Option(names = "--eval-episodes", paramLabel = "N", defaultValue = "100",
            description = "Episodes per greedy evaluation (default: ${DEFAULT-VALUE}).")
    int evalEpisodes;

    @Option(names = "--no-early-stop", description = "Keep training after the environment counts as solved.")
    boolean noEarlyStop;

    @Option(names = "--checkpoint-every", paramLabel = "UPDATES", defaultValue = "50",
            description = "Checkpoint every N updates, keeping the newest 3; 0 = final only (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override any hyperparameter of the config, e.g. learning_rate=3e-4, num_envs=16, "
                    + "update_epochs=10, hidden_sizes=[128,128]. Repeatable; see config.json of a run for all keys.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory (default: runs/<env>-l<lambda>-<mode>-s<seed>-<time>).")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        EnvironmentSpec envSpec = environment.resolve();
        GrpoConfig config = resolveConfig(envSpec);
        long budget = maxEnvSteps != null ? maxEnvSteps : envSpec.defaultEnvSteps();
        long evalPeriod = evalEvery != null ? evalEvery : envSpec.defaultEvalEvery();
        if (budget < 1) throw usage("--max-env-steps must be >= 1, got " + budget);
        if (evalPeriod < 0) throw usage("--eval-every must be >= 0, got " + evalPeriod);
        if (evalEpisodes < 1) throw usage("--eval-episodes must be >= 1, got " + evalEpisodes);
        if (checkpointEvery < 0) throw usage("--checkpoint-every must be >= 0, got " + checkpointEvery);
        TrainingOptions options = new TrainingOptions(budget, evalPeriod, evalEpisodes, envSpec.solvedThreshold(),
                !noEarlyStop);

        Path dirPath = out != null ? out
                : RunDirectory.defaultPath(envSpec.name().replace('/', '-'), config.groupRobustnessWeight(), config.robustMode().label(), seed);
        RunDirectory dir;
        try {
            dir = RunDirectory.create(dirPath);
        } catch (IOException e) {
            throw usage("cannot use run directory: " + e.getMessage());
        }
        spec.commandLine().getErr().printf(Locale.ROOT, "training %s (lambda %s, %s, seed %d) for up to %,d env steps -> %s%n",
                envSpec.name(), config.groupRobustnessWeight(), config.robustMode().label(), seed, budget, dir.root());
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

    /** Environment defaults, then the named flags, then --set overrides; validated by GrpoConfig. */
    private GrpoConfig resolveConfig(EnvironmentSpec envSpec) {
        RobustMode mode = CliSupport.robustMode(spec, robustMode);
        CliSupport.robustness(spec, robustness);
        if (droEta != null && !(droEta > 0)) throw usage("--dro-eta must be > 0, got " + droEta);
        GrpoConfig.Builder b = envSpec.defaults().toBuilder().seed(seed).groupRobustnessWeight(robustness).robustMode(mode);
        if (droEta != null) b.droStepSize(droEta);
        GrpoConfig base;
        try {
            base = b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return overrides.isEmpty() ? base : applyOverrides(base);
    }

    private GrpoConfig applyOverrides(GrpoConfig base) {
        ObjectNode tree = Json.MAPPER.valueToTree(base);
        Map<String, String> sets = new LinkedHashMap<>();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) throw usage("--set expects KEY=VALUE, got '" + o + "'");
            sets.put(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        for (Map.Entry<String, String> e : sets.entrySet()) {
            String key = e.getKey();
            if (!tree.has(key)) {
                List<String> keys = new ArrayList<>();
                for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) keys.add(it.next());
                throw usage("--set: unknown key '" + key + "' (allowed: " + String.join(", ", keys) + ")");
            }
            if (key.equals("seed") || key.equals("group_robustness_weight") || key.equals("robust_mode")) {
                throw usage("--set: use --seed, --robustness or --robust-mode for '" + key + "'");
            }
            try {
                JsonNode value = Json.MAPPER.readTree(e.getValue());
                tree.set(key, value);
            } catch (IOException ex) {
                tree.put(key, e.getValue());
            }
        }
        try {
            return Json.MAPPER.treeToValue(tree, GrpoConfig.class);
        } catch (IOException | IllegalArgumentException ex) {
            Throwable root = ex;
            while (root.getCause() != null) root = root.getCause();
            String msg = firstLine(root.getMessage());
            String field = msg.split(" ", 2)[0];
            String snake = new com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy().translate(field);
            throw usage("--set: invalid value: " + snake + msg.substring(field.length()));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
