package io.grpo.node.worker;

import io.grpo.core.env.Environment;
import io.grpo.core.env.EnvironmentFactory;
import io.grpo.core.env.StepResult;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test fixture: an environment that misbehaves on a chosen step, a limited number of times
 * across all its copies, then behaves like the one it wraps.
 */
final class FaultyEnvironment implements Environment {
    enum Fault { THROW, NAN_REWARD, INFINITE_OBSERVATION }

    /** A factory whose copies share the step counter and the fault budget. */
    static EnvironmentFactory factory(EnvironmentFactory inner, Fault fault, int atStep, int faults) {
        AtomicInteger steps = new AtomicInteger();
        AtomicInteger left = new AtomicInteger(faults);
        return () -> new FaultyEnvironment(inner.create(), fault, atStep, steps, left);
    }

    private final Environment inner;
    private final Fault fault;
    private final int atStep;
    private final AtomicInteger steps;
    private final AtomicInteger faultsLeft;

    private FaultyEnvironment(Environment inner, Fault fault, int atStep, AtomicInteger steps, AtomicInteger faultsLeft) {
        this.inner = inner;
        this.fault = fault;
        this.atStep = atStep;
        this.steps = steps;
        this.faultsLeft = faultsLeft;
    }

    @Override public int observationSize() { return inner.observationSize(); }
    @Override public int actionCount() { return inner.actionCount(); }
    @Override public List<String> groupNames() { return inner.groupNames(); }
    @Override public double[] reset(long seed) { return inner.reset(seed); }
    @Override public double[] reset() { return inner.reset(); }
    @Override public long validActions() { return inner.validActions(); }

    @Override
    public StepResult step(int action) {
        StepResult r = inner.step(action);
        if (steps.incrementAndGet() < atStep || faultsLeft.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) return r;
        switch (fault) {
            case THROW -> throw new IllegalStateException("simulated environment crash");
            case NAN_REWARD -> {
                return new StepResult(r.observation(), Double.NaN, r.terminated(), r.truncated(), r.group());
            }
            default -> {
                double[] obs = r.observation().clone();
                obs[0] = Double.POSITIVE_INFINITY;
                return new StepResult(obs, r.reward(), r.terminated(), r.truncated(), r.group());
            }
        }
    }
}
