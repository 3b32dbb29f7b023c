package io.grpo.cli;

import io.grpo.coordinator.run.Json;
import io.grpo.core.GrpoConfig;
import io.grpo.core.checkpoint.Checkpoints;
import io.grpo.core.rollout.GreedyEvaluator;
import io.grpo.core.train.GrpoAgent;
import io.grpo.scenarios.EnvironmentSpec;
import io.grpo.scenarios.HospitalReports;
import io.grpo.scenarios.hospital.HospitalEvaluation;
import io.grpo.scenarios.hospital.HospitalSimulator;
import io.grpo.scenarios.hospital.baseline.HospitalPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a fixed policy or a trained checkpoint and write summary.json.",
        footer = {"", "Examples:",
                "  grpo eval --scenario urban --policy fifo",
                "  grpo eval --scenario surge --policy runs/<run>/checkpoints/update-000244.ckpt --episodes 200",
                "  grpo eval --env cartpole --policy runs/<run>/checkpoints/update-000120.ckpt"})
final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    EnvironmentOptions environment;

    @Option(names = "--policy", paramLabel = "POLICY", required = true,
            description = "random, fifo, triage (hospital baselines) or the path of a checkpoint.")
    String policy;

    @Option(names = "--episodes", paramLabel = "N", defaultValue = "100", description = "Episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", defaultValue = "1000000",
            description = "Seed of the first episode; episode i uses seed + i (default: ${DEFAULT-VALUE}, away from training seeds).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Write summary.json here (default: print only).")
    Path out;

    @Override
    public Integer call() throws IOException {
        EnvironmentSpec envSpec = environment.resolve();
        if (episodes < 1) throw usage("--episodes must be >= 1, got " + episodes);
        boolean baseline = List.of("random", "fifo", "triage").contains(policy.toLowerCase(Locale.ROOT));
        boolean hospital = envSpec.detailedEvaluation() != null;
        if (baseline && !hospital) throw usage("--policy " + policy + " is a hospital baseline; use a checkpoint for " + envSpec.name());
        if (!baseline && !Files.isRegularFile(Path.of(policy))) {
            throw usage("--policy: '" + policy + "' is neither random, fifo, triage nor a checkpoint file");
        }
        if (out != null && Files.exists(out.resolve("summary.json"))) {
            throw usage("--out " + out + " already holds a summary.json; choose another directory");
        }

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("env", envSpec.name());
        summary.put("policy", policy);
        summary.put("episodes", episodes);
        summary.put("seed", seed);
        if (baseline) {
            HospitalSimulator probe = (HospitalSimulator) envSpec.factory().create();
            HospitalEvaluation.Result r = HospitalEvaluation.ofBaseline(probe.scenario(), HospitalPolicy.named(policy),
                    episodes, seed);
            summary.put("scenarios", Map.of(r.scenario(), HospitalReports.scenarioBlock(r)));
        } else {
            GrpoAgent agent = loadAgent(Path.of(policy), envSpec);
            if (hospital) {
                summary.put("scenarios", envSpec.detailedEvaluation().evaluate(agent.net(), agent.normalizer(), episodes, seed));
            } else {
                GreedyEvaluator.Result r = GreedyEvaluator.evaluate(envSpec.factory(), agent.net(), agent.normalizer(),
                        episodes, seed);
                summary.put("return_mean", r.mean());
                summary.put("return_std", r.std());
            }
        }
        String json = Json.MAPPER.writeValueAsString(summary);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("summary.json"), json);
        }
        spec.commandLine().getOut().println(json);
        return 0;
    }

    private GrpoAgent loadAgent(Path file, EnvironmentSpec envSpec) {
        try {
            Checkpoints.Contents c = Checkpoints.read(file);
            var probe = envSpec.factory().create();
            if (c.observationSize() != probe.observationSize() || c.actionCount() != probe.actionCount()) {
                throw usage("--policy " + file + " was trained on an environment with " + c.observationSize()
                        + " observations and " + c.actionCount() + " actions, not " + envSpec.name());
            }
            GrpoConfig config = GrpoConfig.builder().hiddenSizes(c.hiddenSizes()).activation(c.activation()).build();
            return Checkpoints.load(file, config);
        } catch (IOException e) {
            throw usage("--policy: cannot load checkpoint: " + e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
