package io.grpo.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which group the robust term actually weighted (from the runs' metrics.csv) against which group
 * fared worst under PPO: the robust term picks groups by their PPO surrogate loss, not by outcomes,
 * so the two need not agree.
 */
final class WeightDiagnosis {
    private WeightDiagnosis() {}

    static List<String> lines(Path root, List<ResultRow> rows) throws IOException {
        List<String> out = new ArrayList<>();
        for (String scenario : ExperimentStatistics.distinct(rows, ResultRow::scenario)) {
            List<ResultRow> s = rows.stream().filter(r -> r.scenario().equals(scenario)).toList();
            List<ResultRow> ppo = s.stream().filter(r -> r.lambda() == 0).toList();
            for (String mode : ExperimentStatistics.distinct(s, ResultRow::robustMode)) {
                if (mode.equals(Cell.PPO)) continue;
                double top = s.stream().filter(r -> r.robustMode().equals(mode)).mapToDouble(ResultRow::lambda).max().orElse(0);
                Map<String, Double> q = lateWeights(root, s.stream()
                        .filter(r -> r.robustMode().equals(mode) && r.lambda() == top).toList());
                if (q.isEmpty()) continue;
                String weighted = argmax(q);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                        "%s, %s λ=%s: over the last quarter of training the robust term weighted %s most (mean q %.2f; ",
                        scenario, mode, Cell.lambdaLabel(top), weighted, q.get(weighted)));
                List<String> parts = new ArrayList<>();
                q.forEach((g, v) -> parts.add(String.format(Locale.ROOT, "%s %.2f", g, v)));
                line.append(String.join(", ", parts)).append(')');
                if (!ppo.isEmpty()) {
                    Map<String, Double> adverse = new LinkedHashMap<>();
                    for (String g : ppo.get(0).groups().keySet()) {
                        adverse.put(g, ppo.stream().mapToDouble(r -> r.groups().get(g).adverseRate()).average().orElse(Double.NaN));
                    }
                    String worst = argmax(adverse);
                    line.append(String.format(Locale.ROOT, "; under PPO the highest adverse-event rate is %s's (%.4f)%s",
                            worst, adverse.get(worst), worst.equals(weighted) ? ", the same group"
                                    : ", so the weight went to another group than the one most harmed"));
                }
                out.add(line.append('.').toString());
            }
        }
        return out;
    }

    /** Mean group weight over the last quarter of updates, averaged over runs. */
    static Map<String, Double> lateWeights(Path root, List<ResultRow> runs) throws IOException {
        Map<String, Double> sum = new LinkedHashMap<>();
        int n = 0;
        for (ResultRow r : runs) {
            Path m = Charts.runDir(root, r).resolve("metrics.csv");
            if (!Files.exists(m)) continue;
            MetricsTable t = MetricsTable.read(m);
            if (t.size() == 0) continue;
            int from = t.size() - Math.max(1, t.size() / 4);
            for (String g : t.groups()) {
                double[] w = t.column("group_" + g + "_weight");
                double s = 0;
                int k = 0;
                for (int i = from; i < w.length; i++) {
                    if (!Double.isNaN(w[i])) {
                        s += w[i];
                        k++;
                    }
                }
                sum.merge(g, k == 0 ? 0 : s / k, Double::sum);
            }
            n++;
        }
        int runsRead = n;
        sum.replaceAll((g, v) -> v / runsRead);
        return sum;
    }

    static String argmax(Map<String, Double> m) {
        return m.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
