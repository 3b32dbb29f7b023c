package io.grpo.scenarios.hospital;

import io.grpo.core.policy.ActorCritic;
import io.grpo.core.policy.ObservationNormalizer;
import io.grpo.core.rollout.GreedyEvaluator;
import io.grpo.core.train.UpdateReport;
import io.grpo.scenarios.hospital.baseline.HospitalPolicy;
import io.grpo.scenarios.hospital.fairness.FairnessMetrics;
import io.grpo.scenarios.hospital.fairness.FairnessReport;
import io.grpo.scenarios.hospital.fairness.GroupOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plays N full episodes of one scenario with a fixed policy and gathers returns and
 * per-group outcomes. Episode i is seeded with {@code seed + i}, so every policy faces the
 * same arrivals.
 */
public final class HospitalEvaluation {
    private HospitalEvaluation() {}

    /**
     * @param returns  undiscounted return of each episode
     * @param groups   per-group outcomes summed over all episodes
     * @param fairness fairness across groups of the summed outcomes
     */
    public record Result(String scenario, double[] returns, List<GroupOutcome> groups, FairnessReport fairness) {
        public double returnMean() {
            return UpdateReport.ReturnStats.of(returns).mean();
        }

        public double returnStd() {
            return UpdateReport.ReturnStats.of(returns).std();
        }
    }

    /** Evaluates a baseline rule; each episode's rule randomness is seeded too. */
    public static Result ofBaseline(HospitalScenario scenario, HospitalPolicy policy, int episodes, long seed) {
        requireEpisodes(episodes);
        double[] returns = new double[episodes];
        List<List<GroupOutcome>> perEpisode = new ArrayList<>();
        HospitalSimulator sim = new HospitalSimulator(scenario);
        for (int e = 0; e < episodes; e++) {
            SplittableRandom rng = new SplittableRandom((seed + e) * 0x9E3779B97F4A7C15L);
            sim.reset(seed + e);
            double ret = 0;
            boolean done = false;
            while (!done) {
                var r = sim.step(policy.act(sim, rng));
                ret += r.reward();
                done = r.done();
            }
            returns[e] = ret;
            perEpisode.add(sim.outcomes());
        }
        return result(scenario, returns, perEpisode);
    }

    /** Evaluates a trained policy greedily, all episodes side by side (batched inference). */
    public static Result ofAgent(HospitalScenario scenario, ActorCritic net, ObservationNormalizer normalizer,
                                 int episodes, long seed) {
        requireEpisodes(episodes);
        List<List<GroupOutcome>> perEpisode = new ArrayList<>();
        for (int e = 0; e < episodes; e++) perEpisode.add(null);
        GreedyEvaluator.Result r = GreedyEvaluator.evaluate(() -> new HospitalSimulator(scenario), net, normalizer,
                episodes, seed, true, (episode, env, ret) -> perEpisode.set(episode, ((HospitalSimulator) env).outcomes()));
        return result(scenario, r.returns(), perEpisode);
    }

    private static Result result(HospitalScenario scenario, double[] returns, List<List<GroupOutcome>> perEpisode) {
        List<GroupOutcome> merged = new ArrayList<>();
        for (int g = 0; g < PatientGroup.COUNT; g++) {
            List<GroupOutcome> ofGroup = new ArrayList<>();
            for (List<GroupOutcome> episode : perEpisode) ofGroup.add(episode.get(g));
            merged.add(GroupOutcome.merge(ofGroup));
        }
        return new Result(scenario.name(), returns, merged, FairnessMetrics.compute(merged));
    }

    private static void requireEpisodes(int episodes) {
        if (episodes < 1) throw new IllegalArgumentException("need at least one evaluation episode, got " + episodes);
    }
}
