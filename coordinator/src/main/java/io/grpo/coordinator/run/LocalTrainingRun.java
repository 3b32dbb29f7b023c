package io.grpo.coordinator.run;

import io.grpo.core.GrpoConfig;
import io.grpo.core.env.Environment;
import io.grpo.core.train.EvaluationReport;
import io.grpo.core.train.GrpoAgent;
import io.grpo.core.train.GrpoTrainer;
import io.grpo.core.train.TrainingHistory;
import io.grpo.core.train.TrainingListener;
import io.grpo.core.train.TrainingOptions;
import io.grpo.core.train.UpdateReport;
import io.grpo.core.update.UpdateStats;
import io.grpo.scenarios.EnvironmentSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains one agent in this JVM and writes its run directory: resolved config, per-update
 * metrics, periodic checkpoints and the summary.
 */
public final class LocalTrainingRun {
    /** Seeds of the final detailed evaluation: far from training and periodic-evaluation seeds. */
    public static final long HELD_OUT_SEED_BASE = 5_000_000_000L;

    private final EnvironmentSpec env;
    private final GrpoConfig config;
    private final TrainingOptions options;
    private final int checkpointEveryUpdates;

    public LocalTrainingRun(EnvironmentSpec env, GrpoConfig config, TrainingOptions options, int checkpointEveryUpdates) {
        this.env = env;
        this.config = config;
        this.options = options;
        this.checkpointEveryUpdates = checkpointEveryUpdates;
    }

    /** The resolved configuration as written to {@code config.json}. */
    public record ResolvedConfig(String env, GrpoConfig grpo, TrainingOptions training, int checkpointEveryUpdates) {}

    public TrainingSummary run(RunDirectory dir, TrainingListener progress) throws IOException {
        dir.writeJson(dir.config(), new ResolvedConfig(env.name(), config, options, checkpointEveryUpdates));
        Environment probe = env.factory().create();
        GrpoAgent agent = new GrpoAgent(probe.observationSize(), probe.actionCount(), env.groupNames(), config);
        CheckpointWriter checkpoints = new CheckpointWriter(agent, dir.checkpoints(), checkpointEveryUpdates, 3);
        TrainingHistory history;
        try (MetricsCsv metrics = new MetricsCsv(dir.metrics(), env.groupNames())) {
            history = new GrpoTrainer(env.factory(), agent, null)
                    .train(options, new Fanout(metrics, checkpoints, progress));
        }
        Path finalCheckpoint = checkpoints.save();
        Map<String, Object> scenarios = env.detailedEvaluation() == null ? null
                : env.detailedEvaluation().evaluate(agent.net(), agent.normalizer(), options.evalEpisodes(),
                        HELD_OUT_SEED_BASE + config.seed() * 10_000L);
        TrainingSummary summary = summarize(dir, history, finalCheckpoint, scenarios);
        dir.writeJson(dir.summary(), summary);
        io.grpo.experiment.RunReport.writeQuietly(dir.root());
        return summary;
    }

    private TrainingSummary summarize(RunDirectory dir, TrainingHistory h, Path checkpoint, Map<String, Object> scenarios) {
        UpdateReport last = h.updates().get(h.updates().size() - 1);
        UpdateStats s = last.stats();
        Map<String, TrainingSummary.GroupSummary> groups = new LinkedHashMap<>();
        for (int g = 0; g < env.groupNames().size(); g++) {
            double loss = s.groupLoss()[g];
            groups.put(env.groupNames().get(g), new TrainingSummary.GroupSummary(s.groupSamples()[g],
                    Double.isNaN(loss) ? null : loss, s.groupWeight()[g]));
        }
        EvaluationReport eval = h.finalEvaluation();
        return new TrainingSummary(dir.root().getFileName().toString(), env.name(), config.seed(),
                config.groupRobustnessWeight(), config.robustMode().label(), h.envSteps(), h.updates().size(),
                s.version(), h.wallSeconds(), h.envSteps() / h.wallSeconds(), eval.episodes(), eval.returnMean(),
                eval.returnStd(), Double.isNaN(options.solvedThreshold()) ? null : options.solvedThreshold(),
                h.solvedAtEnvSteps(), groups, dir.root().relativize(checkpoint).toString(), scenarios);
    }

    /** Passes every event to each listener in order. */
    private record Fanout(TrainingListener... listeners) implements TrainingListener {
        @Override
        public void onUpdate(UpdateReport r) {
            for (TrainingListener l : listeners) l.onUpdate(r);
        }

        @Override
        public void onEvaluation(EvaluationReport e) {
            for (TrainingListener l : listeners) l.onEvaluation(e);
        }
    }
}
