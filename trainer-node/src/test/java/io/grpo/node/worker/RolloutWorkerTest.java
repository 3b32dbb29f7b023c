package io.grpo.node.worker;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.grpo.core.policy.ActorCritic;
import io.grpo.core.policy.HiddenActivation;
import io.grpo.core.policy.ObservationNormalizer;
import io.grpo.protocol.LearnerProtocol;
import io.grpo.protocol.LearnerProtocol.RegisterWorker;
import io.grpo.protocol.LearnerProtocol.TrajectoryBatch;
import io.grpo.protocol.RolloutSettings;
import io.grpo.protocol.TrajectoryBatches;
import io.grpo.protocol.WorkerProtocol;
import io.grpo.scenarios.hospital.HospitalSimulator;
import io.grpo.scenarios.hospital.ScenarioLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A rollout worker against a probe standing in for the learner. */
class RolloutWorkerTest {
    private static final int K = 3;
    private static final int STEPS = 8;
    private static final int OBS = HospitalSimulator.OBSERVATION_SIZE;
    private static final int ACTIONS = HospitalSimulator.ACTIONS;
    private static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create(); // application-test.conf: port 0
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private static RolloutWorker.Spec spec(String id, int maxInFlight) {
        var scenario = ScenarioLoader.preset("urban");
        return new RolloutWorker.Spec(id, "urban", () -> new HospitalSimulator(scenario), K, 11, maxInFlight,
                Duration.ofSeconds(30), Duration.ofMinutes(5)); // no re-registration during a test
    }

    private static RolloutSettings settings(long maxBatchBytes) {
        return new RolloutSettings(STEPS, 0.99, 0.95, 0.1, true, false, true, 10, new int[]{8}, "relu", 3, 6, maxBatchBytes);
    }

    private static WorkerProtocol.PolicyWeights weights(long version, boolean zero) {
        ActorCritic net = ActorCritic.create(OBS, ACTIONS, List.of(8), HiddenActivation.RELU, 5, 0.2, 0, DataType.FLOAT);
        float[] p = zero ? new float[(int) net.parameterCount()] : net.parameters();
        return new WorkerProtocol.PolicyWeights("shared", version, p, new ObservationNormalizer(OBS, true, 10).state());
    }

    private static TrajectoryBatch expectBatch(TestProbe<LearnerProtocol.Command> learner) {
        return learner.expectMessageClass(TrajectoryBatch.class, Duration.ofSeconds(60));
    }

    @Test
    void registersStreamsWellFormedBatchesAndStaysWithinItsWindow() {
        TestProbe<LearnerProtocol.Command> learner = kit.createTestProbe();
        ActorRef<WorkerProtocol.Command> worker = kit.spawn(RolloutWorker.create(spec("w-window", 2), learner.getRef()));
        RegisterWorker reg = learner.expectMessageClass(RegisterWorker.class);
        assertEquals("urban", reg.scenario());
        assertEquals(OBS, reg.observationSize());
        assertEquals(K, reg.envCount());
        reg.worker().tell(new WorkerProtocol.Welcome("run", settings(1 << 20), weights(0, false)));

        TrajectoryBatch first = expectBatch(learner);
        TrajectoryBatch second = expectBatch(learner);
        for (TrajectoryBatch b : List.of(first, second)) {
            assertEquals(STEPS * K, b.size());
            assertEquals(0, b.policyVersion());
            assertEquals("shared", b.policyId());
            assertNull(TrajectoryBatches.problem(b, OBS, ACTIONS, 6), "well formed");
            for (int g : b.groups()) assertTrue(g >= 3 && g < 6, "group offset applied: " + g);
            assertEquals(STEPS * K, (long) b.rawObservations().count());
        }
        assertEquals(first.sequence() + 1, second.sequence());
        // Two unacknowledged batches: the worker waits.
        learner.expectNoMessage(Duration.ofMillis(700));
        worker.tell(new WorkerProtocol.BatchAck(first.sequence(), WorkerProtocol.AckStatus.ACCEPTED));
        expectBatch(learner);
        learner.expectNoMessage(Duration.ofMillis(300));
        kit.stop(worker);
    }

    @Test
    void adoptsNewWeightsForTheNextBatch() {
        TestProbe<LearnerProtocol.Command> learner = kit.createTestProbe();
        ActorRef<WorkerProtocol.Command> worker = kit.spawn(RolloutWorker.create(spec("w-weights", 1), learner.getRef()));
        learner.expectMessageClass(RegisterWorker.class).worker()
                .tell(new WorkerProtocol.Welcome("run", settings(1 << 20), weights(0, false)));
        TrajectoryBatch b0 = expectBatch(learner);
        worker.tell(weights(5, true));
        worker.tell(weights(4, false)); // older than what it has: ignored
        worker.tell(new WorkerProtocol.BatchAck(b0.sequence(), WorkerProtocol.AckStatus.ACCEPTED));
        TrajectoryBatch b5 = expectBatch(learner);
        assertEquals(5, b5.policyVersion());
        // All-zero weights: uniform over the valid actions and a value of zero.
        for (int i = 0; i < b5.size(); i++) {
            assertEquals(-Math.log(Long.bitCount(b5.actionMasks()[i])), b5.behaviourLogProbs()[i], 1e-5);
            assertEquals(0f, b5.values()[i]);
        }
        kit.stop(worker);
    }

    @Test
    void stopsWhenRejectedOrWhenItsBatchCannotCrossTheWire() {
        TestProbe<LearnerProtocol.Command> learner = kit.createTestProbe();
        TestProbe<Object> watcher = kit.createTestProbe();
        ActorRef<WorkerProtocol.Command> rejected = kit.spawn(RolloutWorker.create(spec("w-rejected", 1), learner.getRef()));
        learner.expectMessageClass(RegisterWorker.class).worker().tell(new WorkerProtocol.Rejected("unknown scenario"));
        watcher.expectTerminated(rejected, Duration.ofSeconds(10));

        List<RolloutWorker.End> ends = new java.util.concurrent.CopyOnWriteArrayList<>();
        ActorRef<WorkerProtocol.Command> tooBig = kit.spawn(RolloutWorker.create(spec("w-big", 1), learner.getRef(), ends::add));
        learner.expectMessageClass(RegisterWorker.class).worker()
                .tell(new WorkerProtocol.Welcome("run", settings(4_096), weights(0, false)));
        watcher.expectTerminated(tooBig, Duration.ofSeconds(10));
        assertEquals(1, ends.size());
        assertTrue(!ends.get(0).finished());
        learner.expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void registersAgainWhenANewLearnerDoesNotKnowIt() {
        TestProbe<LearnerProtocol.Command> learner = kit.createTestProbe();
        ActorRef<WorkerProtocol.Command> worker = kit.spawn(RolloutWorker.create(spec("w-failover", 1), learner.getRef()));
        learner.expectMessageClass(RegisterWorker.class).worker()
                .tell(new WorkerProtocol.Welcome("run", settings(1 << 20), weights(7, false)));
        TrajectoryBatch b = expectBatch(learner);
        assertEquals(7, b.policyVersion());
        // The learner moved to another node and started over: it does not know this worker.
        worker.tell(new WorkerProtocol.BatchAck(b.sequence(), WorkerProtocol.AckStatus.UNREGISTERED));
        RegisterWorker again = learner.expectMessageClass(RegisterWorker.class);
        assertEquals(7, again.lastVersionSeen(), "tells the new learner how far the old one had got");
        assertEquals(0, again.batchesUnacked(), "its only batch reached the new learner");
        again.worker().tell(new WorkerProtocol.Welcome("run", settings(1 << 20), weights(3, false)));
        assertEquals(3, expectBatch(learner).policyVersion(), "adopts the new learner's version, even if lower");
        kit.stop(worker);
    }

    @Test
    void stopsWhenTheRunIsOver() {
        TestProbe<LearnerProtocol.Command> learner = kit.createTestProbe();
        TestProbe<Object> watcher = kit.createTestProbe();
        List<RolloutWorker.End> ends = new java.util.concurrent.CopyOnWriteArrayList<>();
        ActorRef<WorkerProtocol.Command> worker = kit.spawn(RolloutWorker.create(spec("w-stop", 1), learner.getRef(), ends::add));
        learner.expectMessageClass(RegisterWorker.class).worker()
                .tell(new WorkerProtocol.Welcome("run", settings(1 << 20), weights(0, false)));
        expectBatch(learner);
        worker.tell(new WorkerProtocol.Stop("done"));
        watcher.expectTerminated(worker, Duration.ofSeconds(10));
        assertTrue(ends.get(0).finished());
    }
}
