package io.grpo.experiment;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The grid of an experiment: every scenario x robust mode x lambda x seed, with the lambda = 0
 * (PPO) cells run once and shared by the modes.
 *
 * @param seeds       the number of seeds; seed i is {@code firstSeed + i}
 * @param updates     PPO updates per training run
 * @param evalEpisodes greedy evaluation episodes per cell, on held-out seeds
 */
public record ExperimentGrid(List<String> scenarios, List<Double> lambdas, List<String> robustModes, int seeds,
                             long firstSeed, int updates, int evalEpisodes) {
    public ExperimentGrid {
        scenarios = List.copyOf(scenarios);
        lambdas = List.copyOf(lambdas);
        robustModes = List.copyOf(robustModes);
        if (scenarios.isEmpty()) throw new IllegalArgumentException("--scenarios: give at least one scenario");
        if (lambdas.isEmpty()) throw new IllegalArgumentException("--lambdas: give at least one value");
        for (double l : lambdas) {
            if (!(l >= 0 && l <= 1)) throw new IllegalArgumentException("--lambdas: each must be in [0, 1], got " + l);
        }
        if (robustModes.isEmpty()) throw new IllegalArgumentException("--robust-mode: give at least one mode");
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        if (updates < 1) throw new IllegalArgumentException("--updates must be >= 1, got " + updates);
        if (evalEpisodes < 1) throw new IllegalArgumentException("--eval-episodes must be >= 1, got " + evalEpisodes);
    }

    /** Cells in run order: scenario, then seed, then lambda/mode, so partial grids stay balanced. */
    public List<Cell> cells() {
        Set<Cell> out = new LinkedHashSet<>();
        for (String s : scenarios) {
            for (int i = 0; i < seeds; i++) {
                for (double l : lambdas) {
                    for (String m : robustModes) out.add(new Cell(s, m, l, firstSeed + i));
                }
            }
        }
        return new ArrayList<>(out);
    }
}
