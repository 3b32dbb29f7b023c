package io.grpo.scenarios.cartpole;

import io.grpo.core.env.Environment;
import io.grpo.core.env.StepResult;

import java.util.List;
import java.util.SplittableRandom;

/**
 * CartPole-v1 with Gymnasium's semantics: Euler integration with tau = 0.02, reward 1 per
 * step, termination at |x| > 2.4 or |theta| > 12 degrees, truncation at 500 steps, reset
 * state uniform in [-0.05, 0.05]. Action 0 pushes left, 1 pushes right.
 *
 * <p>Groups follow the original example: the cart's position when the action was taken,
 * {@code x < -0.5} (left), middle, {@code x > 0.5} (right).
 */
public final class CartPole implements Environment {
    public static final double GRAVITY = 9.8;
    public static final double MASS_CART = 1.0;
    public static final double MASS_POLE = 0.1;
    public static final double TOTAL_MASS = MASS_CART + MASS_POLE;
    public static final double LENGTH = 0.5; // half the pole's length
    public static final double POLE_MASS_LENGTH = MASS_POLE * LENGTH;
    public static final double FORCE_MAG = 10.0;
    public static final double TAU = 0.02;
    public static final double THETA_THRESHOLD = 12 * 2 * Math.PI / 360;
    public static final double X_THRESHOLD = 2.4;
    public static final int MAX_EPISODE_STEPS = 500;
    public static final List<String> GROUPS = List.of("left", "center", "right");

    private final double[] state = new double[4];
    private SplittableRandom rng = new SplittableRandom(0);
    private int steps;
    private boolean needsReset = true;

    /** The original example's grouping by cart position. */
    public static int positionGroup(double x) {
        return x < -0.5 ? 0 : x > 0.5 ? 2 : 1;
    }

    @Override
    public int observationSize() {
        return 4;
    }

    @Override
    public int actionCount() {
        return 2;
    }

    @Override
    public List<String> groupNames() {
        return GROUPS;
    }

    @Override
    public double[] reset(long seed) {
        rng = new SplittableRandom(seed);
        return reset();
    }

    @Override
    public double[] reset() {
        for (int i = 0; i < 4; i++) state[i] = -0.05 + 0.1 * rng.nextDouble();
        steps = 0;
        needsReset = false;
        return state.clone();
    }

    /** Sets the state directly (tests and hand-computed dynamics). */
    public void setState(double x, double xDot, double theta, double thetaDot) {
        state[0] = x;
        state[1] = xDot;
        state[2] = theta;
        state[3] = thetaDot;
        steps = 0;
        needsReset = false;
    }

    @Override
    public StepResult step(int action) {
        if (action != 0 && action != 1) throw new IllegalArgumentException("CartPole action must be 0 or 1, got " + action);
        if (needsReset) throw new IllegalStateException("episode is over: call reset() first");
        int group = positionGroup(state[0]);
        double x = state[0], xDot = state[1], theta = state[2], thetaDot = state[3];
        double force = action == 1 ? FORCE_MAG : -FORCE_MAG;
        double cos = Math.cos(theta), sin = Math.sin(theta);
        double temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sin - cos * temp)
                / (LENGTH * (4.0 / 3.0 - MASS_POLE * cos * cos / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
        // Euler, in Gymnasium's order: positions from the old velocities
        x = x + TAU * xDot;
        xDot = xDot + TAU * xAcc;
        theta = theta + TAU * thetaDot;
        thetaDot = thetaDot + TAU * thetaAcc;
        state[0] = x;
        state[1] = xDot;
        state[2] = theta;
        state[3] = thetaDot;
        steps++;

        boolean terminated = x < -X_THRESHOLD || x > X_THRESHOLD || theta < -THETA_THRESHOLD || theta > THETA_THRESHOLD;
        boolean truncated = !terminated && steps >= MAX_EPISODE_STEPS;
        needsReset = terminated || truncated;
        return new StepResult(state.clone(), 1.0, terminated, truncated, group);
    }
}
