package io.grpo.scenarios;

import io.grpo.scenarios.hospital.HospitalEvaluation;
import io.grpo.scenarios.hospital.fairness.FairnessMetrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shape of a hospital evaluation, shared by {@code train} and {@code eval} summaries. */
public final class HospitalReports {
    private HospitalReports() {}

    /** {@code {return_mean, return_std, episodes, groups: {group: {...}}, fairness: {...}}}. */
    public static Map<String, Object> scenarioBlock(HospitalEvaluation.Result r) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("return_mean", r.returnMean());
        block.put("return_std", r.returnStd());
        block.put("episodes", r.returns().length);
        block.put("groups", FairnessMetrics.groupSummaries(r.fairness()));
        block.put("fairness", FairnessMetrics.summary(r.fairness()));
        return block;
    }
}
