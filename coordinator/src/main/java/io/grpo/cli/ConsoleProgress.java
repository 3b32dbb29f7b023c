package io.grpo.cli;

import io.grpo.core.train.EvaluationReport;
import io.grpo.core.train.TrainingListener;
import io.grpo.core.train.UpdateReport;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress on the console: a live progress bar on a terminal, and a plain line
 * every few seconds (plus one per evaluation) when output goes to a log or pipe.
 */
final class ConsoleProgress implements TrainingListener, AutoCloseable {
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final ProgressBar bar;
    private long lastLine;
    private UpdateReport last;
    private String lastEval = "";

    ConsoleProgress(String task, long maxEnvSteps, boolean quiet) {
        this.out = System.err;
        boolean interactive = System.console() != null && !quiet;
        this.bar = interactive ? new ProgressBarBuilder().setTaskName(task).setInitialMax(maxEnvSteps)
                .setUnit(" steps", 1).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .showSpeed().continuousUpdate().build() : null;
        this.lastLine = quiet ? Long.MAX_VALUE : System.nanoTime();
    }

    @Override
    public void onUpdate(UpdateReport r) {
        last = r;
        if (bar != null) {
            bar.stepTo(r.envSteps());
            bar.setExtraMessage(String.format(Locale.ROOT, " upd %d  return %.1f%s", r.update(), r.recentReturns().mean(),
                    lastEval));
        } else if (System.nanoTime() - lastLine > LOG_INTERVAL_NANOS) {
            lastLine = System.nanoTime();
            out.println(line(r));
        }
    }

    @Override
    public void onEvaluation(EvaluationReport e) {
        String msg = String.format(Locale.ROOT, "eval at %,d steps: greedy return %.1f +- %.1f over %d episodes%s",
                e.envSteps(), e.returnMean(), e.returnStd(), e.episodes(), e.solved() ? "  (solved)" : "");
        if (bar != null) {
            // the bar redraws its own line, so the latest evaluation rides along in its message
            lastEval = String.format(Locale.ROOT, "  eval %.1f%s", e.returnMean(), e.solved() ? " (solved)" : "");
        } else if (lastLine != Long.MAX_VALUE) {
            if (last != null) out.println(line(last));
            out.println(msg);
        }
    }

    private static String line(UpdateReport r) {
        return String.format(Locale.ROOT, "update %d  env steps %,d  return %.1f  %.0f steps/s  kl %.4f  entropy %.3f",
                r.update(), r.envSteps(), r.recentReturns().mean(), r.envSteps() / Math.max(1e-9, r.wallSeconds()),
                r.stats().approxKl(), r.stats().entropy());
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
