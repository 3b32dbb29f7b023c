package io.grpo.core.env;

import java.util.List;

/**
 * An environment seen only at its choices: after each action, steps whose state has a single
 * valid action are played with that action here, and their rewards are added to the reward
 * of the action that led to them.
 *
 * <p>Why: in a scarce-resource scenario most steps offer one admissible queue (or none), so
 * most samples of a masked policy carry no decision, and the few that do are separated by
 * dozens of steps the advantage estimate has to bridge. A masked policy acts identically
 * with or without this view (the forced action is the only one it can take), so returns and
 * outcomes are unchanged; only what the learner sees changes: one sample per real decision,
 * its reward the whole consequence up to the next decision.
 *
 * <p>The discount applies per decision rather than per elapsed step. The first observation
 * of an episode is always shown (so an episode with no choice at all still yields one sample).
 * The group label is the one of the choice.
 */
public final class ForcedStepSkipping implements Environment {
    private final Environment env;
    private long forcedSteps;

    public ForcedStepSkipping(Environment env) {
        this.env = env;
    }

    /** The factory whose copies a rollout collects from: wrapped when {@code skip} (GrpoConfig#skipForcedSteps). */
    public static EnvironmentFactory wrapIf(boolean skip, EnvironmentFactory factory) {
        return skip ? () -> new ForcedStepSkipping(factory.create()) : factory;
    }

    @Override
    public int observationSize() {
        return env.observationSize();
    }

    @Override
    public int actionCount() {
        return env.actionCount();
    }

    @Override
    public List<String> groupNames() {
        return env.groupNames();
    }

    @Override
    public double[] reset(long seed) {
        return env.reset(seed);
    }

    @Override
    public double[] reset() {
        return env.reset();
    }

    @Override
    public StepResult step(int action) {
        StepResult first = env.step(action);
        StepResult last = first;
        double reward = first.reward();
        while (!last.done()) {
            long valid = env.validActions();
            if (Long.bitCount(valid) != 1) break;
            last = env.step(Long.numberOfTrailingZeros(valid));
            reward += last.reward();
            forcedSteps++;
        }
        if (last == first) return first;
        return new StepResult(last.observation(), reward, last.terminated(), last.truncated(), first.group());
    }

    @Override
    public long validActions() {
        return env.validActions();
    }

    /** Steps played here with their only valid action, over this copy's life. */
    public long forcedSteps() {
        return forcedSteps;
    }
}
