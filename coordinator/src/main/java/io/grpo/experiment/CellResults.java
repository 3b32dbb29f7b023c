package io.grpo.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a run's held-out hospital evaluation block (summary.json's scenarios.S) into a result row. */
final class CellResults {
    private CellResults() {}

    @SuppressWarnings("unchecked")
    static ResultRow row(Cell cell, int updates, long envSteps, double trainSeconds, Map<String, Object> scenarios,
                         String runDir) {
        if (scenarios == null || !scenarios.containsKey(cell.scenario())) {
            throw new IllegalStateException("run " + runDir + " has no hospital evaluation for " + cell.scenario());
        }
        Map<String, Object> block = (Map<String, Object>) scenarios.get(cell.scenario());
        Map<String, Object> fairness = (Map<String, Object>) block.get("fairness");
        Map<String, Map<String, Object>> groups = (Map<String, Map<String, Object>>) block.get("groups");
        Map<String, ResultRow.GroupOutcome> outcomes = new LinkedHashMap<>();
        double worstP90 = Double.NaN;
        for (var e : groups.entrySet()) {
            Map<String, Object> g = e.getValue();
            ResultRow.GroupOutcome o = new ResultRow.GroupOutcome(num(g, "treated_rate"), num(g, "mean_wait"),
                    num(g, "p90_wait"), num(g, "left_unseen_rate"), num(g, "adverse_rate"));
            outcomes.put(e.getKey(), o);
            if (!Double.isNaN(o.p90Wait())) worstP90 = Double.isNaN(worstP90) ? o.p90Wait() : Math.max(worstP90, o.p90Wait());
        }
        return new ResultRow(cell.scenario(), cell.robustMode(), cell.lambda(), cell.seed(), updates, envSteps,
                trainSeconds, ((Number) block.get("episodes")).intValue(), num(block, "return_mean"),
                num(block, "return_std"), String.valueOf(fairness.get("worst_group")),
                num(fairness, "worst_group_adverse_rate"), worstP90, num(fairness, "adverse_rate_gap"),
                num(fairness, "p90_wait_gap"), num(fairness, "fairness_score"), num(fairness, "jain_treated_rate"),
                num(fairness, "gini_mean_wait"), outcomes, runDir);
    }

    private static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
