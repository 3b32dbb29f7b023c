package io.grpo.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The family of comparisons of an experiment: per scenario, robust mode and lambda > 0, each
 * outcome against the same scenario's lambda = 0 cells, with Holm's correction of the Welch
 * p-values across the whole family.
 */
public final class ExperimentStatistics {
    public static final double ALPHA = 0.05;

    private ExperimentStatistics() {}

    public static List<Comparison> compare(List<ResultRow> rows) {
        List<Comparison> family = new ArrayList<>();
        for (String scenario : distinct(rows, r -> r.scenario())) {
            List<ResultRow> control = rows.stream().filter(r -> r.scenario().equals(scenario) && r.lambda() == 0).toList();
            for (String mode : distinct(rows, r -> r.robustMode())) {
                if (mode.equals(Cell.PPO)) continue;
                Map<Double, List<ResultRow>> byLambda = new LinkedHashMap<>();
                rows.stream().filter(r -> r.scenario().equals(scenario) && r.robustMode().equals(mode) && r.lambda() > 0)
                        .sorted(java.util.Comparator.comparingDouble(ResultRow::lambda))
                        .forEach(r -> byLambda.computeIfAbsent(r.lambda(), k -> new ArrayList<>()).add(r));
                for (var e : byLambda.entrySet()) {
                    for (ResultRow.Metric m : ResultRow.Metric.values()) {
                        family.add(Comparison.of(scenario, mode, e.getKey(), m.key, values(e.getValue(), m),
                                values(control, m)));
                    }
                }
            }
        }
        double[] adjusted = Holm.adjust(family.stream().mapToDouble(Comparison::welchP).toArray());
        List<Comparison> out = new ArrayList<>();
        for (int i = 0; i < family.size(); i++) out.add(family.get(i).withHolmP(adjusted[i]));
        return out;
    }

    static double[] values(List<ResultRow> rows, ResultRow.Metric m) {
        return rows.stream().mapToDouble(r -> r.metric(m)).filter(v -> !Double.isNaN(v)).toArray();
    }

    static <T> List<T> distinct(List<ResultRow> rows, java.util.function.Function<ResultRow, T> key) {
        Set<T> s = new LinkedHashSet<>();
        for (ResultRow r : rows) s.add(key.apply(r));
        return new ArrayList<>(s);
    }
}
