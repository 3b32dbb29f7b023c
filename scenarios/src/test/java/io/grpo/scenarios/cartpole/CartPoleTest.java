package io.grpo.scenarios.cartpole;

import io.grpo.core.env.StepResult;
import io.grpo.core.env.VectorEnv;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CartPoleTest {

    @Test
    void stepsMatchHandComputedEulerDynamics() {
        CartPole env = new CartPole();
        env.setState(0, 0, 0, 0);
        // push right from rest: temp = 10/1.1, thetaAcc = -temp / (0.5 (4/3 - 0.1/1.1)), xAcc = temp - 0.05 thetaAcc / 1.1
        StepResult r = env.step(1);
        assertArrayEquals(new double[]{0.0, 0.1951219512195122, 0.0, -0.2926829268292683}, r.observation(), 1e-12);
        r = env.step(0);
        assertArrayEquals(new double[]{0.0039024390243902443, 0.0, -0.005853658536585366, 0.0}, r.observation(), 1e-12);

        env.setState(0.01, -0.02, 0.03, 0.04);
        r = env.step(0);
        assertArrayEquals(new double[]{0.0096, -0.21553901710278936, 0.0308, 0.3419952237760392}, r.observation(), 1e-12);
        assertEquals(1.0, r.reward());
        assertFalse(r.terminated());
        assertFalse(r.truncated());
    }

    @Test
    void terminatesWhenThePoleFallsOrTheCartLeaves() {
        CartPole env = new CartPole();
        env.setState(0, 0, 0.2090, 0.1); // just under 12 degrees (0.20944 rad), falling at 0.1 rad/s
        StepResult r = env.step(1);
        assertTrue(r.terminated(), "theta beyond 12 degrees ends the episode");
        assertEquals(1.0, r.reward(), "Gymnasium still pays the terminating step");
        assertThrows(IllegalStateException.class, () -> env.step(0));

        env.setState(2.399, 1.0, 0, 0);
        assertTrue(env.step(1).terminated(), "x beyond 2.4 ends the episode");
    }

    @Test
    void truncatesAt500Steps() {
        StepResult r;
        // a balancing controller: push toward the side the pole leans to
        CartPole controlled = new CartPole();
        double[] s = controlled.reset(1);
        int t = 0;
        while (true) {
            int a = s[2] + 0.5 * s[3] > 0 ? 1 : 0;
            r = controlled.step(a);
            s = r.observation();
            t++;
            if (r.done()) break;
        }
        assertEquals(500, t);
        assertTrue(r.truncated());
        assertFalse(r.terminated());
    }

    @Test
    void resetIsUniformInSmallBoxAndSeeded() {
        CartPole a = new CartPole(), b = new CartPole();
        for (long seed = 0; seed < 50; seed++) {
            double[] s = a.reset(seed);
            assertArrayEquals(s, b.reset(seed), 0.0);
            for (double v : s) assertTrue(v >= -0.05 && v <= 0.05);
        }
        assertFalse(java.util.Arrays.equals(a.reset(1), a.reset(2)));
    }

    @Test
    void groupsFollowTheCartPositionBeforeTheAction() {
        assertEquals(0, CartPole.positionGroup(-0.6));
        assertEquals(1, CartPole.positionGroup(0.0));
        assertEquals(2, CartPole.positionGroup(0.51));
        CartPole env = new CartPole();
        env.setState(-0.7, 0, 0, 0);
        assertEquals(0, env.step(1).group());
        assertThrows(IllegalArgumentException.class, () -> env.step(2));
    }

    @Test
    void vectorEnvAutoResetsAndKeepsTheFinalObservation() {
        VectorEnv v = new VectorEnv(CartPole::new, 3, 10, null);
        int[] left = {0, 0, 0};
        boolean sawEnd = false;
        for (int t = 0; t < 200 && !sawEnd; t++) {
            v.step(left);
            for (int i = 0; i < 3; i++) {
                if (v.terminated(i)) {
                    sawEnd = true;
                    double[] fin = v.finalObservation(i);
                    assertTrue(Math.abs(fin[0]) > 2.4 || Math.abs(fin[2]) > CartPole.THETA_THRESHOLD);
                    for (double x : v.observation(i)) assertTrue(Math.abs(x) <= 0.05, "next episode started");
                    assertEquals(1, v.finishedEpisodes().size() >= 1 ? 1 : 0);
                } else {
                    assertEquals(null, v.finalObservation(i));
                }
            }
        }
        assertTrue(sawEnd);
    }
}
