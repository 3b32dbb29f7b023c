package io.grpo.scenarios;

import io.grpo.core.GrpoConfig;
import io.grpo.core.env.GroupAssignment;
import io.grpo.core.train.GrpoAgent;
import io.grpo.core.train.GrpoTrainer;
import io.grpo.core.train.TrainingHistory;
import io.grpo.core.train.TrainingListener;
import io.grpo.core.train.TrainingOptions;
import io.grpo.scenarios.cartpole.CartPole;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's library example, with a small budget, so the documentation keeps compiling and working. */
class LibraryApiExampleTest {
    @Test
    void readmeExampleRuns() {
        GrpoAgent agent = new GrpoAgent(4, 2, List.of("left", "right"),
                GrpoConfig.builder().learningRate(3e-4).groupRobustnessWeight(0.2).build());
        GroupAssignment byPosition = GroupAssignment.of(List.of("left", "right"),
                (state, episode) -> state[0] < 0 ? 0 : 1);
        TrainingHistory history = new GrpoTrainer(CartPole::new, agent, byPosition)
                .train(new TrainingOptions(512, 10_240, 10, 475, true), TrainingListener.NONE);
        assertEquals(2, history.updates().size());
        int[] samples = history.updates().get(1).stats().groupSamples();
        assertTrue(samples[0] > 0 && samples[1] > 0, "both position groups are seen");
        assertEquals(1, history.evaluations().size());
    }
}
