package io.grpo.scenarios.hospital;

import io.grpo.core.env.StepResult;
import io.grpo.scenarios.hospital.baseline.HospitalPolicy;
import io.grpo.scenarios.hospital.fairness.GroupOutcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HospitalSimulatorTest {

    private static List<double[]> trace(HospitalScenario sc, long seed, HospitalPolicy policy) {
        HospitalSimulator sim = new HospitalSimulator(sc);
        SplittableRandom rng = new SplittableRandom(99);
        List<double[]> out = new ArrayList<>();
        out.add(sim.reset(seed));
        StepResult r;
        do {
            r = sim.step(policy.act(sim, rng));
            double[] row = java.util.Arrays.copyOf(r.observation(), r.observation().length + 2);
            row[row.length - 2] = r.reward();
            row[row.length - 1] = r.group();
            out.add(row);
        } while (!r.done());
        return out;
    }

    @Test
    void sameSeedSameEpisodeDifferentSeedDifferentEpisode() {
        HospitalScenario urban = ScenarioLoader.preset("urban");
        List<double[]> a = trace(urban, 5, HospitalPolicy.RANDOM);
        List<double[]> b = trace(urban, 5, HospitalPolicy.RANDOM);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), 0.0);
        List<double[]> c = trace(urban, 6, HospitalPolicy.RANDOM);
        boolean differs = false;
        for (int i = 0; i < a.size() && !differs; i++) differs = !java.util.Arrays.equals(a.get(i), c.get(i));
        assertTrue(differs);
        assertEquals(urban.stepsPerEpisode() + 1, a.size());
    }

    @Test
    void aSeedFixesThePatientsWhateverThePolicyDoes() {
        for (String preset : List.of("urban", "surge")) {
            HospitalScenario sc = ScenarioLoader.preset(preset);
            List<List<Integer>> arrivals = new ArrayList<>();
            List<Double> returns = new ArrayList<>();
            for (HospitalPolicy policy : List.of(HospitalPolicy.RANDOM, HospitalPolicy.FIFO, HospitalPolicy.TRIAGE)) {
                HospitalSimulator sim = new HospitalSimulator(sc);
                SplittableRandom rng = new SplittableRandom(42);
                sim.reset(11);
                double ret = 0;
                StepResult r;
                do {
                    r = sim.step(policy.act(sim, rng));
                    ret += r.reward();
                } while (!r.done());
                arrivals.add(sim.outcomes().stream().map(GroupOutcome::arrivals).toList());
                returns.add(ret);
            }
            assertEquals(arrivals.get(0), arrivals.get(1), preset + ": random and FIFO face the same patients");
            assertEquals(arrivals.get(1), arrivals.get(2), preset + ": FIFO and triage face the same patients");
            assertNotEquals(returns.get(0), returns.get(1), "the policies still matter");
        }
    }

    @Test
    void everyPatientIsAccountedForAndResourcesStayInBounds() {
        for (String name : ScenarioLoader.presetNames()) {
            HospitalScenario sc = ScenarioLoader.preset(name);
            for (HospitalPolicy policy : List.of(HospitalPolicy.RANDOM, HospitalPolicy.FIFO, HospitalPolicy.TRIAGE)) {
                HospitalSimulator sim = new HospitalSimulator(sc);
                SplittableRandom rng = new SplittableRandom(1);
                sim.reset(3);
                StepResult r;
                do {
                    r = sim.step(policy.act(sim, rng));
                    assertTrue(sim.freeBeds() >= 0 && sim.freeBeds() <= sc.beds(), name);
                    assertTrue(sim.freeIcuBeds() >= 0 && sim.freeIcuBeds() <= sc.icuBeds(), name);
                    assertTrue(sim.freeStaff() >= 0 && sim.freeStaff() <= sc.staff(), name);
                    int arrived = 0, resolved = 0;
                    for (GroupOutcome g : sim.outcomes()) {
                        arrived += g.arrivals();
                        resolved += g.treated() + g.leftUnseen() + g.adverse();
                    }
                    assertEquals(arrived, resolved + sim.waiting(), name + ": arrivals = treated + left + adverse + waiting");
                } while (!r.done());
                assertTrue(r.truncated() && !r.terminated());
            }
        }
    }

    @Test
    void invalidChoicesAreLegalAndDoNothing() {
        HospitalSimulator sim = new HospitalSimulator(ScenarioLoader.preset("urban"));
        sim.reset(1);
        // nobody has arrived yet: admitting from any queue changes nothing but time
        StepResult r = sim.step(HospitalSimulator.queueIndex(PatientGroup.ELDERLY.ordinal(), Severity.CRITICAL.ordinal()));
        assertEquals(PatientGroup.ELDERLY.ordinal(), r.group(), "the action concerned the elderly queue");
        assertEquals(sim.scenario().beds(), sim.freeBeds());
        assertThrows(IllegalArgumentException.class, () -> sim.step(HospitalSimulator.ACTIONS));
        assertThrows(IllegalArgumentException.class, () -> sim.step(-1));
    }

    @Test
    void holdIsLabelledWithTheLongestWaitingPatientsGroup() {
        HospitalSimulator sim = new HospitalSimulator(ScenarioLoader.preset("urban"));
        sim.reset(2);
        StepResult r = null;
        while (sim.waiting() == 0) r = sim.step(HospitalSimulator.HOLD);
        int oldestQueue = -1;
        double oldest = -1;
        for (int q = 0; q < HospitalSimulator.QUEUES; q++) {
            if (sim.queueLength(q) > 0 && sim.oldestWaitMinutes(q) > oldest) {
                oldest = sim.oldestWaitMinutes(q);
                oldestQueue = q;
            }
        }
        r = sim.step(HospitalSimulator.HOLD);
        assertEquals(oldestQueue / Severity.COUNT, r.group());
    }

    @Test
    void admittingTreatsThePatientAndHoldsResources() {
        HospitalSimulator sim = new HospitalSimulator(ScenarioLoader.preset("urban"));
        sim.reset(4);
        while (sim.waiting() == 0) sim.step(HospitalSimulator.HOLD);
        int q = 0;
        while (sim.queueLength(q) == 0) q++;
        int staffBefore = sim.freeStaff();
        int treatedBefore = sim.outcomes().stream().mapToInt(GroupOutcome::treated).sum();
        StepResult r = sim.step(q);
        assertEquals(treatedBefore + 1, sim.outcomes().stream().mapToInt(GroupOutcome::treated).sum());
        assertTrue(sim.freeStaff() < staffBefore || staffBefore == sim.scenario().staff(), "staff held (unless released)");
        assertTrue(r.reward() > -sim.scenario().rewardAdverse().get(0), "admission reward counted");
    }

    @Test
    void validActionsAreTheAdmissibleQueuesOrElseHold() {
        HospitalSimulator sim = new HospitalSimulator(ScenarioLoader.preset("rural"));
        SplittableRandom rng = new SplittableRandom(7);
        sim.reset(7);
        int withChoice = 0;
        for (int t = 0; t < 400; t++) {
            long mask = sim.validActions();
            boolean any = false;
            for (int q = 0; q < HospitalSimulator.QUEUES; q++) {
                boolean admissible = sim.queueLength(q) > 0 && sim.canAdmit(q % Severity.COUNT);
                assertEquals(admissible, (mask >>> q & 1) == 1, "queue " + q + " at step " + t);
                any |= admissible;
            }
            assertEquals(!any, (mask >>> HospitalSimulator.HOLD & 1) == 1, "hold is valid exactly when nobody can be admitted");
            if (any) withChoice++;
            sim.step(HospitalPolicy.RANDOM.act(sim, rng));
        }
        assertTrue(withChoice > 10, "steps with an admissible patient: " + withChoice);
    }

    @Test
    void surgeScenarioHasMassCasualtySpikes() {
        HospitalScenario surge = ScenarioLoader.preset("surge");
        int spikes = 0, maxWaiting = 0;
        for (long seed = 0; seed < 5; seed++) {
            HospitalSimulator sim = new HospitalSimulator(surge);
            sim.reset(seed);
            boolean wasActive = false;
            StepResult r;
            do {
                r = sim.step(HospitalPolicy.TRIAGE.act(sim, null));
                if (sim.surgeActive() && !wasActive) spikes++;
                wasActive = sim.surgeActive();
                maxWaiting = Math.max(maxWaiting, sim.waiting());
            } while (!r.done());
        }
        assertTrue(spikes >= 3, "surge events in 5 days: " + spikes);
        HospitalSimulator urban = new HospitalSimulator(ScenarioLoader.preset("urban"));
        urban.reset(0);
        StepResult r;
        do {
            r = urban.step(HospitalSimulator.HOLD);
            assertFalse(urban.surgeActive());
        } while (!r.done());
        assertTrue(maxWaiting > 10, "a spike fills the queues: " + maxWaiting);
    }

    @Test
    void observationLayoutIsNormalised() {
        HospitalSimulator sim = new HospitalSimulator(ScenarioLoader.preset("rural"));
        double[] o = sim.reset(0);
        assertEquals(HospitalSimulator.OBSERVATION_SIZE, o.length);
        assertEquals(1.0, o[0]);
        assertEquals(1.0, o[1]);
        assertEquals(1.0, o[2]);
        double hour = sim.scenario().startHour();
        assertEquals(Math.sin(2 * Math.PI * hour / 24), o[o.length - 3], 1e-12);
        assertNotEquals(0.0, o[o.length - 3] * o[o.length - 3] + o[o.length - 2] * o[o.length - 2]);
    }

    @Test
    void admissibilityWaitBehindAndLeadersAreObserved() {
        HospitalSimulator sim = new HospitalSimulator(ScenarioLoader.preset("urban"));
        SplittableRandom rng = new SplittableRandom(4);
        double[] o = sim.reset(8);
        int base = 3 + 3 * HospitalSimulator.QUEUES;
        int checkedChoices = 0;
        for (int step = 0; step < 720; step++) {
            long valid = sim.validActions();
            int fifo = HospitalPolicy.FIFO.act(sim, rng);
            for (int q = 0; q < HospitalSimulator.QUEUES; q++) {
                boolean admissible = (valid & (1L << q)) != 0;
                assertEquals(admissible ? 1.0 : 0.0, o[base + 4 * q], "admissible flag of queue " + q);
                assertEquals(q == fifo ? 1.0 : 0.0, o[base + 4 * q + 2], "FIFO-choice flag of queue " + q);
                boolean severityLeader = admissible;
                for (int r = q % 3; r < HospitalSimulator.QUEUES; r += 3) {
                    if (r != q && (valid & (1L << r)) != 0 && (sim.oldestWaitMinutes(r) > sim.oldestWaitMinutes(q)
                            || sim.oldestWaitMinutes(r) == sim.oldestWaitMinutes(q) && r < q)) {
                        severityLeader = false;
                    }
                }
                assertEquals(severityLeader ? 1.0 : 0.0, o[base + 4 * q + 3], "severity-leader flag of queue " + q);
                double behind = o[base + 4 * q + 1];
                if (!admissible) {
                    assertEquals(0.0, behind);
                } else {
                    double expected = (sim.oldestWaitMinutes(fifo) - sim.oldestWaitMinutes(q)) / 240.0;
                    assertEquals(expected, behind, 1e-9, "wait behind the first-come-first-served choice, queue " + q);
                    assertTrue(behind >= 0);
                }
            }
            if (fifo != HospitalSimulator.HOLD) {
                assertEquals(0.0, o[base + 4 * fifo + 1], "FIFO's choice is the leader");
                checkedChoices++;
            }
            o = sim.step(HospitalPolicy.RANDOM.act(sim, rng)).observation();
        }
        assertTrue(checkedChoices > 50, "states with an admissible patient: " + checkedChoices);
    }

    @Test
    void fifoAndTriageBeatRandomOnReturn() {
        HospitalScenario urban = ScenarioLoader.preset("urban");
        double random = HospitalEvaluation.ofBaseline(urban, HospitalPolicy.RANDOM, 5, 100).returnMean();
        double fifo = HospitalEvaluation.ofBaseline(urban, HospitalPolicy.FIFO, 5, 100).returnMean();
        double triage = HospitalEvaluation.ofBaseline(urban, HospitalPolicy.TRIAGE, 5, 100).returnMean();
        assertTrue(fifo > random && triage > random, "random " + random + " fifo " + fifo + " triage " + triage);
    }
}
