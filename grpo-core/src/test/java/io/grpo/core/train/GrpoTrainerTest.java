package io.grpo.core.train;

import io.grpo.core.GrpoConfig;
import io.grpo.core.env.Environment;
import io.grpo.core.env.GroupAssignment;
import io.grpo.core.env.StepResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrpoTrainerTest {

    /** Reward 1 for the action that matches the sign of the observation; 10-step episodes. */
    static final class SignGame implements Environment {
        private SplittableRandom rng = new SplittableRandom(0);
        private double x;
        private int t;

        public int observationSize() { return 1; }
        public int actionCount() { return 2; }
        public List<String> groupNames() { return List.of("neg", "pos"); }
        public double[] reset(long seed) { rng = new SplittableRandom(seed); return reset(); }
        public double[] reset() { t = 0; x = rng.nextDouble() * 2 - 1; return new double[]{x}; }
        public StepResult step(int a) {
            double r = (a == 1) == (x > 0) ? 1 : 0;
            int g = x > 0 ? 1 : 0;
            x = rng.nextDouble() * 2 - 1;
            t++;
            return new StepResult(new double[]{x}, r, false, t >= 10, g);
        }
    }

    private static TrainingHistory train(long seed, List<UpdateReport> sink, GroupAssignment assignment) {
        GrpoConfig c = GrpoConfig.builder().hiddenSizes(List.of(16)).numEnvs(4).rolloutSteps(16).minibatchSize(32)
                .updateEpochs(4).groupRobustnessWeight(0.3).seed(seed).build();
        GrpoAgent agent = new GrpoAgent(1, 2, assignment != null ? assignment.groupNames() : List.of("neg", "pos"), c);
        return new GrpoTrainer(SignGame::new, agent, assignment)
                .train(new TrainingOptions(64 * 40, 64 * 20, 20, 9.5, false), new TrainingListener() {
                    @Override
                    public void onUpdate(UpdateReport r) {
                        sink.add(r);
                    }
                });
    }

    @Test
    void learnsASimpleTaskAndReportsEveryUpdate() {
        List<UpdateReport> reports = new ArrayList<>();
        TrainingHistory h = train(1, reports, null);
        assertEquals(40, h.updates().size());
        assertEquals(reports, h.updates());
        assertEquals(2, h.evaluations().size());
        assertTrue(h.finalEvaluation().returnMean() > 9, "greedy return " + h.finalEvaluation().returnMean());
        assertEquals(64 * 40, h.envSteps());
    }

    @Test
    void sameSeedGivesIdenticalTraining() {
        List<UpdateReport> a = new ArrayList<>(), b = new ArrayList<>(), c = new ArrayList<>();
        train(5, a, null);
        train(5, b, null);
        train(6, c, null);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).stats().policyLoss(), b.get(i).stats().policyLoss(), 0.0);
            assertEquals(a.get(i).stats().valueLoss(), b.get(i).stats().valueLoss(), 0.0);
            assertEquals(a.get(i).recentReturns(), b.get(i).recentReturns());
        }
        assertTrue(a.get(0).stats().policyLoss() != c.get(0).stats().policyLoss());
    }

    @Test
    void customGroupAssignmentLabelsSamples() {
        GroupAssignment byEpisodeParity = GroupAssignment.of(List.of("even", "odd", "never"),
                (state, episode) -> (int) (episode % 2));
        List<UpdateReport> reports = new ArrayList<>();
        train(3, reports, byEpisodeParity);
        int[] samples = reports.get(0).stats().groupSamples();
        assertEquals(3, samples.length);
        assertTrue(samples[0] > 0 && samples[1] > 0);
        assertEquals(0, samples[2]);
    }
}
