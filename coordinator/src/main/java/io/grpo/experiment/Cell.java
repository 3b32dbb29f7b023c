package io.grpo.experiment;

import java.util.Locale;

/**
 * One (scenario, robust mode, lambda, seed) training run of an experiment grid. With lambda 0
 * the robust term is off, so PPO's cells are shared by both modes and carry mode {@code ppo}.
 */
public record Cell(String scenario, String robustMode, double lambda, long seed) {
    public static final String PPO = "ppo";

    public Cell {
        if (lambda == 0) robustMode = PPO;
    }

    /** Identifies the cell in results.csv (for resume). */
    public String key() {
        return String.format(Locale.ROOT, "%s/%s/%s/%d", scenario, robustMode, lambdaLabel(lambda), seed);
    }

    /** Folder name of the cell's run directory. */
    public String dirName() {
        return String.format(Locale.ROOT, "%s-%s-l%s-s%d", scenario, robustMode, lambdaLabel(lambda), seed);
    }

    public static String lambdaLabel(double lambda) {
        String s = String.format(Locale.ROOT, "%.3f", lambda);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
