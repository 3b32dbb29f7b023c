package io.grpo.experiment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.grpo.experiment.Html.esc;
import static io.grpo.experiment.Html.meanCi;
import static io.grpo.experiment.Html.num;
import static io.grpo.experiment.Html.p;
import static io.grpo.experiment.Html.row;

/** report.html of an experiment: configuration, generated reading, tables and embedded charts. */
public final class ExperimentHtml {
    private ExperimentHtml() {}

    public static String render(Map<String, Object> config, List<ResultRow> rows, List<Comparison> comparisons,
                                List<Charts.Png> charts, List<String> weightDiagnosis) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>GRPO experiment</title>" + Html.STYLE + "</head><body>\n");
        b.append("<h1>GRPO vs PPO: experiment report</h1>\n<p>Generated ").append(esc(Instant.now().toString()))
                .append(" from <code>results.csv</code> (").append(rows.size()).append(" finished cells).</p>\n");
        b.append("<h2>Configuration</h2>\n<table>");
        for (var e : config.entrySet()) b.append(row(List.of(esc(e.getKey()), "<l>" + esc(e.getValue())), false));
        double trainSeconds = rows.stream().mapToDouble(ResultRow::trainSeconds).sum();
        b.append(row(List.of("training time, sum over cells", "<l>" + num(trainSeconds / 60, 1) + " min"), false));
        b.append("</table>\n");

        b.append("<h2>Reading</h2>\n<ul class=\"reading\">\n");
        for (String line : Reading.lines(rows, comparisons)) b.append("<li>").append(esc(line)).append("</li>\n");
        for (String line : weightDiagnosis) b.append("<li>").append(esc(line)).append("</li>\n");
        b.append("</ul>\n");

        b.append("<h2>Outcomes per arm</h2>\n<p>Held-out greedy evaluation of each cell's final policy; mean ± 95% "
                + "confidence half-width (t distribution) over seeds.</p>\n<table>");
        b.append(row(List.of("scenario", "arm", "seeds", "return", "worst group's adverse rate", "worst group(s)",
                "worst p90 wait (min)", "fairness score"), true));
        for (String scenario : ExperimentStatistics.distinct(rows, ResultRow::scenario)) {
            for (var e : Charts.byArm(rows.stream().filter(r -> r.scenario().equals(scenario)).toList()).entrySet()) {
                List<ResultRow> a = e.getValue();
                b.append(row(List.of(esc(scenario), "<l>" + esc(e.getKey()), String.valueOf(a.size()),
                        meanCi(summary(a, ResultRow::returnMean), 1),
                        meanCi(summary(a, ResultRow::worstGroupAdverseRate), 4), "<l>" + esc(worstGroups(a)),
                        meanCi(summary(a, ResultRow::worstGroupP90Wait), 1),
                        meanCi(summary(a, ResultRow::fairnessScore), 3)), false));
            }
        }
        b.append("</table>\n");

        b.append("<h2>Comparisons with λ = 0</h2>\n<p>Difference = robust arm minus PPO. Welch's t-test and the "
                + "Mann–Whitney U test are two-sided; Holm's correction is applied to the Welch p-values across all "
                + comparisons.size() + " comparisons (α = " + ExperimentStatistics.ALPHA + "). Effect sizes: Cohen's d "
                + "(pooled SD) and Cliff's δ (P(robust &gt; PPO) − P(robust &lt; PPO)). With n seeds per arm the exact "
                + "Mann–Whitney p-value cannot go below 2/C(2n, n) (0.1 for n = 3).</p>\n<table>");
        b.append(row(List.of("scenario", "mode", "λ", "outcome", "robust", "PPO", "difference", "Welch p",
                "Mann–Whitney p", "Holm p", "Cohen's d", "Cliff's δ"), true));
        for (Comparison c : comparisons) {
            ResultRow.Metric m = metric(c.metric());
            int digits = m == ResultRow.Metric.WORST_ADVERSE_RATE ? 4 : 1;
            boolean sig = c.holmP() < ExperimentStatistics.ALPHA;
            boolean better = m.higherIsBetter ? c.difference() > 0 : c.difference() < 0;
            String diff = "<span class=\"" + (sig ? (better ? "sig" : "sig bad") : "") + "\">"
                    + (c.difference() > 0 ? "+" : "") + num(c.difference(), digits) + "</span>";
            b.append(row(List.of(esc(c.scenario()), "<l>" + esc(c.robustMode()), Cell.lambdaLabel(c.lambda()),
                    "<l>" + esc(m.label), meanCi(c.treatment(), digits), meanCi(c.control(), digits), diff,
                    p(c.welchP()), p(c.mannWhitneyP()), p(c.holmP()), num(c.cohensD(), 2), num(c.cliffsDelta(), 2)),
                    false));
        }
        b.append("</table>\n");

        b.append("<h2>Charts</h2>\n");
        for (Charts.Png png : charts) b.append(Html.figure(png));
        b.append("<h2>Method</h2>\n<p>Each cell trains one policy (scenario, robust mode, λ, seed) and evaluates its "
                + "final weights greedily on held-out episode seeds that training never saw. The worst group is the one "
                + "with the highest adverse-event rate in that evaluation; the worst p90 wait is the highest p90 wait "
                + "over the groups. λ = 0 is plain PPO, shared by both robust modes.</p>\n</body></html>\n");
        return b.toString();
    }

    static ResultRow.Metric metric(String key) {
        for (ResultRow.Metric m : ResultRow.Metric.values()) if (m.key.equals(key)) return m;
        throw new IllegalArgumentException("unknown metric " + key);
    }

    static SampleSummary summary(List<ResultRow> rows, java.util.function.ToDoubleFunction<ResultRow> f) {
        return SampleSummary.of(rows.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).toArray());
    }

    /** "elderly ×3, adult ×2": how often each group was the worst. */
    static String worstGroups(List<ResultRow> rows) {
        Map<String, Long> counts = rows.stream().collect(Collectors.groupingBy(ResultRow::worstGroup,
                LinkedHashMap::new, Collectors.counting()));
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        return sorted.stream().map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** The plain-language reading, generated from the comparisons (no conclusion is written in advance). */
    static final class Reading {
        private Reading() {}

        static List<String> lines(List<ResultRow> rows, List<Comparison> comparisons) {
            List<String> out = new ArrayList<>();
            int seedsMin = rows.stream().collect(Collectors.groupingBy(r -> r.cell().key().replaceAll("/\\d+$", ""),
                    Collectors.counting())).values().stream().mapToInt(Long::intValue).min().orElse(0);
            if (comparisons.isEmpty()) {
                out.add("No comparison is possible: the results hold no pair of λ = 0 and λ > 0 cells in the same scenario.");
                return out;
            }
            List<Comparison> harm = comparisons.stream().filter(c -> !c.metric().equals(ResultRow.Metric.RETURN.key)).toList();
            long harmLowerSig = harm.stream().filter(c -> c.difference() < 0 && c.holmP() < ExperimentStatistics.ALPHA).count();
            long harmHigherSig = harm.stream().filter(c -> c.difference() > 0 && c.holmP() < ExperimentStatistics.ALPHA).count();
            long harmLower = harm.stream().filter(c -> c.difference() < 0).count();
            out.add(String.format(Locale.ROOT, "Worst-group harm (adverse-event rate and p90 wait of the worst group): "
                            + "%d of %d comparisons are lower with group robustness than with PPO, %d of them "
                            + "significantly after Holm's correction; %d significantly higher.",
                    harmLower, harm.size(), harmLowerSig, harmHigherSig));
            if (harmLowerSig == 0) {
                out.add("So in this experiment group robustness did not measurably reduce the worst group's harm in any "
                        + "scenario" + (seedsMin < 5 ? String.format(Locale.ROOT, " (with as few as %d seeds per arm "
                        + "only large effects could show)", seedsMin) : "") + ".");
            }
            Map<String, List<Comparison>> byArm = new LinkedHashMap<>();
            for (Comparison c : comparisons) {
                byArm.computeIfAbsent(c.scenario() + "|" + c.robustMode() + "|" + Cell.lambdaLabel(c.lambda()),
                        k -> new ArrayList<>()).add(c);
            }
            for (List<Comparison> arm : byArm.values()) {
                Comparison first = arm.get(0);
                StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s, %s λ=%s vs PPO: ", first.scenario(),
                        first.robustMode(), Cell.lambdaLabel(first.lambda())));
                List<String> parts = new ArrayList<>();
                for (Comparison c : arm) parts.add(describe(c));
                s.append(String.join("; ", parts)).append('.');
                out.add(s.toString());
            }
            Map<String, List<ResultRow>> byScenario = rows.stream().collect(Collectors.groupingBy(ResultRow::scenario,
                    LinkedHashMap::new, Collectors.toList()));
            for (var e : byScenario.entrySet()) {
                for (String mode : ExperimentStatistics.distinct(e.getValue(), ResultRow::robustMode)) {
                    if (mode.equals(Cell.PPO)) continue;
                    shiftedGroup(e.getKey(), mode, e.getValue()).ifPresent(out::add);
                }
            }
            return out;
        }

        static String describe(Comparison c) {
            ResultRow.Metric m = metric(c.metric());
            int digits = m == ResultRow.Metric.WORST_ADVERSE_RATE ? 4 : 1;
            boolean sig = c.holmP() < ExperimentStatistics.ALPHA;
            String direction = c.difference() == 0 ? "unchanged" : c.difference() > 0 ? "higher" : "lower";
            boolean better = m.higherIsBetter ? c.difference() > 0 : c.difference() < 0;
            return String.format(Locale.ROOT, "%s %s (%s vs %s, %s, Holm p %s, Cliff's δ %s)", m.label, direction,
                    num(c.treatment().mean(), digits), num(c.control().mean(), digits),
                    sig ? (better ? "a significant improvement" : "a significant worsening")
                            : (c.difference() == 0 ? "no difference" : "not significant"),
                    p(c.holmP()), num(c.cliffsDelta(), 2));
        }

        /** A group whose adverse rate the robust arms raised the most, when robustness raised some group's harm. */
        static java.util.Optional<String> shiftedGroup(String scenario, String mode, List<ResultRow> rows) {
            List<ResultRow> ppo = rows.stream().filter(r -> r.lambda() == 0).toList();
            double top = rows.stream().filter(r -> r.robustMode().equals(mode)).mapToDouble(ResultRow::lambda).max().orElse(0);
            List<ResultRow> robust = rows.stream().filter(r -> r.robustMode().equals(mode) && r.lambda() == top).toList();
            if (ppo.isEmpty() || robust.isEmpty()) return java.util.Optional.empty();
            Function<List<ResultRow>, Map<String, Double>> rates = list -> {
                Map<String, Double> m = new LinkedHashMap<>();
                for (String g : list.get(0).groups().keySet()) {
                    m.put(g, list.stream().mapToDouble(r -> r.groups().get(g).adverseRate()).average().orElse(Double.NaN));
                }
                return m;
            };
            Map<String, Double> a = rates.apply(ppo), b = rates.apply(robust);
            var worst = b.entrySet().stream().max(Comparator.comparingDouble(e -> e.getValue() - a.get(e.getKey())));
            if (worst.isEmpty()) return java.util.Optional.empty();
            String g = worst.get().getKey();
            double delta = b.get(g) - a.get(g);
            return java.util.Optional.of(delta > 0
                    ? String.format(Locale.ROOT, "%s, %s λ=%s: the group whose adverse-event rate rose most is %s "
                            + "(%.4f with PPO, %.4f robust, means over seeds).", scenario, mode, Cell.lambdaLabel(top), g,
                    a.get(g), b.get(g))
                    : String.format(Locale.ROOT, "%s, %s λ=%s: no group's mean adverse-event rate rose.", scenario, mode,
                    Cell.lambdaLabel(top)));
        }
    }
}
