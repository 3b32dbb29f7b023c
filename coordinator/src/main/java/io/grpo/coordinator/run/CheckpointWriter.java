package io.grpo.coordinator.run;

import io.grpo.core.checkpoint.Checkpoints;
import io.grpo.core.train.EvaluationReport;
import io.grpo.core.train.GrpoAgent;
import io.grpo.core.train.TrainingListener;
import io.grpo.core.train.UpdateReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Saves the agent every N updates as {@code update-NNNNNN.ckpt}, keeping the newest few, and
 * after every greedy evaluation that beats all earlier ones as {@code best.ckpt} (model
 * selection on the trainer's validation episodes, which are the same for every evaluation).
 */
public final class CheckpointWriter implements TrainingListener {
    public static final String BEST = "best.ckpt";
    private final GrpoAgent agent;
    private final Path dir;
    private final int everyUpdates;
    private final int keep;
    private Path lastSaved;
    private double bestReturn = Double.NEGATIVE_INFINITY;
    private long bestEnvSteps = -1;

    public CheckpointWriter(GrpoAgent agent, Path dir, int everyUpdates, int keep) {
        this.agent = agent;
        this.dir = dir;
        this.everyUpdates = everyUpdates;
        this.keep = keep;
    }

    @Override
    public void onUpdate(UpdateReport r) {
        if (everyUpdates > 0 && r.update() % everyUpdates == 0) save();
    }

    @Override
    public void onEvaluation(EvaluationReport e) {
        if (!(e.returnMean() > bestReturn)) return;
        Path file = best();
        try {
            Checkpoints.save(agent, file);
        } catch (IOException ex) {
            throw new UncheckedIOException("could not write checkpoint " + file, ex);
        }
        bestReturn = e.returnMean();
        bestEnvSteps = e.envSteps();
    }

    /** Where the best-evaluated policy is kept. */
    public Path best() {
        return dir.resolve(BEST);
    }

    /** Validation return of {@link #best()} (negative infinity before any evaluation). */
    public double bestReturn() {
        return bestReturn;
    }

    /** Training env steps at which {@link #best()} was evaluated (-1 before any evaluation). */
    public long bestEnvSteps() {
        return bestEnvSteps;
    }

    /** Writes a checkpoint of the current version now (unless it was just written) and returns its path. */
    public Path save() {
        Path file = dir.resolve(String.format(Locale.ROOT, "update-%06d.ckpt", agent.learner().version()));
        if (file.equals(lastSaved)) return file;
        try {
            Checkpoints.save(agent, file);
            prune();
            lastSaved = file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file, e);
        }
        return file;
    }

    private void prune() throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.list(dir)) {
            all = s.filter(p -> p.getFileName().toString().matches("update-\\d+\\.ckpt")).sorted().toList();
        }
        for (int i = 0; i < all.size() - keep; i++) Files.deleteIfExists(all.get(i));
    }
}
