package io.grpo.coordinator.run;

import io.grpo.core.train.EvaluationReport;
import io.grpo.core.train.TrainingListener;
import io.grpo.core.train.UpdateReport;
import io.grpo.core.update.UpdateStats;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.csv}: one row per update, flushed as it happens so a crashed or running
 * job can be inspected. Evaluation columns are filled on the update an evaluation followed.
 */
public final class MetricsCsv implements TrainingListener, Closeable {
    private final CSVPrinter out;
    private final List<String> groups;
    private List<Object> pending;

    public MetricsCsv(Path file, List<String> groups) throws IOException {
        this(file, groups, false);
    }

    /**
     * Continues an existing file (a standby coordinator taking over a run after a fail-over):
     * rows are appended, the header is written only when the file is new or empty.
     */
    public static MetricsCsv appending(Path file, List<String> groups) throws IOException {
        return new MetricsCsv(file, groups, Files.exists(file) && Files.size(file) > 0);
    }

    private MetricsCsv(Path file, List<String> groups, boolean append) throws IOException {
        this.groups = List.copyOf(groups);
        List<String> header = new ArrayList<>(List.of("update", "env_steps", "wall_seconds", "episodes",
                "return_mean", "return_std", "return_min", "return_max", "policy_version", "learning_rate",
                "samples", "minibatch_steps", "policy_loss", "value_loss", "entropy", "approx_kl", "clip_fraction",
                "explained_variance", "grad_norm"));
        for (String g : groups) {
            header.add("group_" + g + "_samples");
            header.add("group_" + g + "_loss");
            header.add("group_" + g + "_weight");
        }
        header.add("eval_return_mean");
        header.add("eval_return_std");
        this.out = new CSVPrinter(append
                ? Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND)
                : Files.newBufferedWriter(file, StandardCharsets.UTF_8),
                CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).setSkipHeaderRecord(append).build());
    }

    @Override
    public void onUpdate(UpdateReport r) {
        flushPending(null);
        UpdateStats s = r.stats();
        List<Object> row = new ArrayList<>(List.of(r.update(), r.envSteps(), fmt(r.wallSeconds()), r.episodes(),
                fmt(r.recentReturns().mean()), fmt(r.recentReturns().std()), fmt(r.recentReturns().min()),
                fmt(r.recentReturns().max()), s.version(), fmt(s.learningRate()), s.samples(), s.minibatchSteps(),
                fmt(s.policyLoss()), fmt(s.valueLoss()), fmt(s.entropy()), fmt(s.approxKl()), fmt(s.clipFraction()),
                fmt(s.explainedVariance()), fmt(s.gradNorm())));
        for (int g = 0; g < groups.size(); g++) {
            row.add(s.groupSamples()[g]);
            row.add(fmt(s.groupLoss()[g]));
            row.add(fmt(s.groupWeight()[g]));
        }
        pending = row;
    }

    @Override
    public void onEvaluation(EvaluationReport e) {
        flushPending(e);
    }

    private void flushPending(EvaluationReport e) {
        if (pending == null) return;
        pending.add(e == null ? "" : fmt(e.returnMean()));
        pending.add(e == null ? "" : fmt(e.returnStd()));
        try {
            out.printRecord(pending);
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        pending = null;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    @Override
    public void close() throws IOException {
        flushPending(null);
        out.close();
    }
}
