package io.grpo.core.train;

import io.grpo.core.GrpoConfig;
import io.grpo.core.env.EnvironmentFactory;
import io.grpo.core.env.ForcedStepSkipping;
import io.grpo.core.env.GroupAssignment;
import io.grpo.core.env.VectorEnv;
import io.grpo.core.rollout.GreedyEvaluator;
import io.grpo.core.rollout.RolloutCollector;
import io.grpo.core.update.UpdateStats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The original project's {@code GRPOTrainer}, single process: collect a rollout from K
 * environment copies, update, repeat; greedy evaluations along the way, always on the same held-out
 * (validation) seeds, so that they are comparable.
 */
public final class GrpoTrainer {
    /** Offset that keeps evaluation seeds away from training seeds. */
    static final long EVAL_SEED_OFFSET = 1_000_000_007L;

    private final EnvironmentFactory environments;
    private final GrpoAgent agent;
    private final GroupAssignment groupAssignment;

    /**
     * @param groupAssignment {@code (state, episode) -> group}, or null for the environment's own labels
     */
    public GrpoTrainer(EnvironmentFactory environments, GrpoAgent agent, GroupAssignment groupAssignment) {
        this.environments = environments;
        this.agent = agent;
        this.groupAssignment = groupAssignment;
    }

    public TrainingHistory train(TrainingOptions options, TrainingListener listener) {
        GrpoConfig c = agent.config();
        VectorEnv envs = new VectorEnv(ForcedStepSkipping.wrapIf(c.skipForcedSteps(), environments), c.numEnvs(), c.seed() * 1_000L, groupAssignment);
        if (envs.groupNames().size() != agent.groupNames().size()) {
            throw new IllegalArgumentException("agent has " + agent.groupNames().size() + " groups, environment grouping has "
                    + envs.groupNames().size());
        }
        RolloutCollector collector = new RolloutCollector(envs, agent.net(), agent.normalizer(), true,
                c.seed() * 31 + 17, c.rewardScale(), c.gamma(), c.gaeLambda(), c.maskInvalidActions());
        long totalUpdates = (options.maxEnvSteps() + c.batchSize() - 1) / c.batchSize();

        List<UpdateReport> updates = new ArrayList<>();
        List<EvaluationReport> evaluations = new ArrayList<>();
        ArrayDeque<Double> window = new ArrayDeque<>();
        long start = System.nanoTime();
        long envSteps = 0, episodes = 0, nextEval = options.evalEveryEnvSteps() > 0 ? options.evalEveryEnvSteps() : Long.MAX_VALUE;
        Long solvedAt = null;
        for (int update = 1; update <= totalUpdates; update++) {
            RolloutCollector.Rollout rollout = collector.collect(c.rolloutSteps());
            envSteps += rollout.batch().size();
            for (var e : rollout.episodes()) {
                episodes++;
                window.addLast(e.returnValue());
                if (window.size() > 100) window.removeFirst();
            }
            double lr = c.annealLearningRate()
                    ? c.learningRate() * (1.0 - (update - 1.0) / totalUpdates)
                    : c.learningRate();
            UpdateStats stats = agent.update(rollout.batch(), lr);
            UpdateReport report = new UpdateReport(update, envSteps, seconds(start), episodes,
                    UpdateReport.ReturnStats.of(window.stream().mapToDouble(Double::doubleValue).toArray()), stats);
            updates.add(report);
            listener.onUpdate(report);

            boolean last = update == totalUpdates;
            if (envSteps >= nextEval || last) {
                nextEval += options.evalEveryEnvSteps();
                EvaluationReport eval = evaluate(options, envSteps);
                evaluations.add(eval);
                listener.onEvaluation(eval);
                if (eval.solved() && solvedAt == null) solvedAt = envSteps;
                if (eval.solved() && options.stopWhenSolved()) break;
            }
        }
        return new TrainingHistory(updates, evaluations, envSteps, seconds(start), solvedAt);
    }

    private EvaluationReport evaluate(TrainingOptions options, long envSteps) {
        // The same validation episodes every time: evaluations compare policies, not seed luck.
        long seed = agent.config().seed() * 7_919L + EVAL_SEED_OFFSET;
        GreedyEvaluator.Result r = GreedyEvaluator.evaluate(environments, agent.net(), agent.normalizer(),
                options.evalEpisodes(), seed, agent.config().maskInvalidActions(), GreedyEvaluator.EpisodeObserver.NONE);
        boolean solved = !Double.isNaN(options.solvedThreshold()) && r.mean() >= options.solvedThreshold();
        return new EvaluationReport(envSteps, options.evalEpisodes(), r.mean(), r.std(), solved);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
