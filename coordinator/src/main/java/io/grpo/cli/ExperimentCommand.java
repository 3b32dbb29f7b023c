package io.grpo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpo.coordinator.run.Json;
import io.grpo.experiment.CellRunner;
import io.grpo.experiment.EmbeddedClusterCellRunner;
import io.grpo.experiment.ExperimentGrid;
import io.grpo.experiment.ExperimentReport;
import io.grpo.experiment.ExperimentRunner;
import io.grpo.experiment.ResultsCsv;
import io.grpo.experiment.SingleProcessCellRunner;
import io.grpo.core.GrpoConfig;
import io.grpo.core.RobustMode;
import io.grpo.scenarios.EnvironmentCatalog;
import io.grpo.scenarios.hospital.ScenarioFileException;
import io.grpo.scenarios.hospital.ScenarioLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a grid of hospital training runs (scenario x robust mode x lambda x seed), evaluate each "
                + "on held-out seeds, compare lambda > 0 with lambda = 0 (PPO) and write results.csv, stats.json, "
                + "charts/ and report.html.",
                "Rerunning with the same --out resumes: cells with a row in results.csv are not rerun."},
        footer = {"", "Examples:",
                "  grpo experiment --out runs/exp             (default grid: 4 scenarios x 4 lambdas x max,dro x 5 seeds)",
                "  grpo experiment --scenarios urban,pediatric --lambdas 0,1 --seeds 3 --updates 60 --out runs/small",
                "  grpo experiment --out runs/exp --report-only   (stats, charts and report from results.csv)"})
final class ExperimentCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME",
            description = "Hospital presets (default: urban,rural,pediatric,surge).")
    List<String> scenarios = List.of("urban", "rural", "pediatric", "surge");

    @Option(names = "--lambdas", split = ",", paramLabel = "LAMBDA",
            description = "Robustness weights; 0 is the PPO control (default: 0,0.2,0.5,1.0).")
    List<Double> lambdas = List.of(0.0, 0.2, 0.5, 1.0);

    @Option(names = "--robust-mode", split = ",", paramLabel = "MODE", description = "max and/or dro (default: max,dro).")
    List<String> robustModes = List.of("max", "dro");

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "5", description = "Training seeds per scenario, mode and lambda (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--first-seed", paramLabel = "S", defaultValue = "1", description = "Seeds are S, S+1, ... (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @Option(names = "--updates", paramLabel = "N", defaultValue = "977",
            description = "Updates per training run, 2048 env steps each per worker (default: ${DEFAULT-VALUE}, about 2M env steps).")
    int updates;

    @Option(names = "--eval-episodes", paramLabel = "N", defaultValue = "100",
            description = "Greedy evaluation episodes per cell on held-out seeds (default: ${DEFAULT-VALUE}).")
    int evalEpisodes;

    @Option(names = "--runner", paramLabel = "RUNNER", defaultValue = "single",
            description = "single (the single-process trainer) or embedded (a one-node Akka cluster per cell) "
                    + "(default: ${DEFAULT-VALUE}).")
    String runner;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "Embedded runner: rollout workers per cell (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = "Cells trained at the same time in this JVM (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--out", paramLabel = "DIR", description = "Experiment directory (default: runs/experiment-<time>).")
    Path out;

    @Option(names = "--report-only", description = "Only recompute stats.json, charts and report.html from --out's results.csv.")
    boolean reportOnly;

    @Override
    public Integer call() throws Exception {
        if (reportOnly) {
            if (out == null) throw usage("--report-only needs --out DIR (an experiment directory)");
            if (!Files.isRegularFile(out.resolve("results.csv"))) throw usage("--out " + out + " has no results.csv");
            return report(out, readConfig(out));
        }
        ExperimentGrid grid;
        try {
            for (String m : robustModes) RobustMode.parse(m);
            grid = new ExperimentGrid(scenarios, lambdas, robustModes, seeds, firstSeed, updates, evalEpisodes);
        } catch (IllegalArgumentException e) {
            throw usage((e.getMessage().startsWith("unknown robust mode") ? "--robust-mode: " : "") + e.getMessage());
        }
        for (String s : scenarios) {
            try {
                ScenarioLoader.preset(s);
            } catch (ScenarioFileException e) {
                throw usage("--scenarios: unknown scenario preset '" + s + "' (available: "
                        + String.join(", ", ScenarioLoader.presetNames()) + ")");
            }
        }
        if (parallel < 1) throw usage("--parallel must be >= 1, got " + parallel);
        if (workers < 1) throw usage("--workers must be >= 1, got " + workers);
        GrpoConfig base = EnvironmentCatalog.hospitalDefaults();
        CellRunner cells = switch (runner.toLowerCase(Locale.ROOT)) {
            case "single" -> new SingleProcessCellRunner(base, updates, evalEpisodes);
            case "embedded" -> new EmbeddedClusterCellRunner(base, updates, evalEpisodes, workers);
            default -> throw usage("--runner: unknown value '" + runner + "' (single or embedded)");
        };
        Path root = out != null ? out : Path.of("runs", "experiment-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Map<String, Object> config = config(grid);
        checkResumable(root, config);
        Files.createDirectories(root);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(root.resolve("experiment.json").toFile(), config);
        if (runner.equalsIgnoreCase("embedded")) CliSupport.quietLearnerLog();
        long start = System.nanoTime();
        new ExperimentRunner(root, cells, parallel, spec.commandLine().getErr())
                .run(grid.cells(), new ResultsCsv(root.resolve("results.csv")));
        spec.commandLine().getErr().printf(Locale.ROOT, "grid finished in %s%n",
                formatSeconds((System.nanoTime() - start) / 1e9));
        return report(root, config);
    }

    private Map<String, Object> config(ExperimentGrid grid) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("scenarios", grid.scenarios());
        c.put("lambdas", grid.lambdas());
        c.put("robust_modes", grid.robustModes());
        c.put("seeds", grid.seeds());
        c.put("first_seed", grid.firstSeed());
        c.put("updates", grid.updates());
        c.put("samples_per_update", EnvironmentCatalog.hospitalDefaults().batchSize());
        c.put("eval_episodes", grid.evalEpisodes());
        c.put("runner", runner.toLowerCase(Locale.ROOT));
        c.put("parallel", parallel);
        c.put("started", Instant.now().toString());
        return c;
    }

    /** A resumed grid must train and evaluate its cells like the first one did, or the rows would not compare. */
    private void checkResumable(Path root, Map<String, Object> config) throws IOException {
        Path previous = root.resolve("experiment.json");
        if (!Files.exists(previous)) {
            if (Files.exists(root.resolve("results.csv"))) throw usage("--out " + root + " has results.csv but no experiment.json");
            return;
        }
        JsonNode old = Json.MAPPER.readTree(previous.toFile());
        for (String key : List.of("updates", "eval_episodes", "runner")) {
            String was = old.path(key).asText();
            String now = String.valueOf(config.get(key));
            if (!was.equals(now)) {
                throw usage("--out " + root + " holds an experiment with " + key + " " + was + ", not " + now
                        + "; resume with the same settings or choose another --out");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readConfig(Path root) throws IOException {
        Path f = root.resolve("experiment.json");
        return Files.exists(f) ? Json.MAPPER.readValue(f.toFile(), Map.class) : Map.of();
    }

    private int report(Path root, Map<String, Object> config) throws IOException {
        Path html = ExperimentReport.write(root, config);
        spec.commandLine().getOut().println("results: " + root.resolve("results.csv"));
        spec.commandLine().getOut().println("report: " + html);
        return 0;
    }

    static String formatSeconds(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
