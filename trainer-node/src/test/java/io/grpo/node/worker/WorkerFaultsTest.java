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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A supervised worker whose environment crashes or yields NaN/Inf: it restarts, re-registers and goes on. */
class WorkerFaultsTest {
    private static final int K = 2;
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

    private static WorkerProtocol.Welcome welcome(long version) {
        ActorCritic net = ActorCritic.create(OBS, ACTIONS, List.of(8), HiddenActivation.RELU, 5, 0.2, 0, DataType.FLOAT);
        return new WorkerProtocol.Welcome("run", new RolloutSettings(STEPS, 0.99, 0.95, 0.1, true, false, true, 10,
                new int[]{8}, "relu", 0, 3, 1 << 20),
                new WorkerProtocol.PolicyWeights("shared", version, net.parameters(),
                        new ObservationNormalizer(OBS, true, 10).state()));
    }

    @ParameterizedTest
    @EnumSource(FaultyEnvironment.Fault.class)
    void restartsAfterAFaultyStepAndCarriesOnWithTheCurrentWeights(FaultyEnvironment.Fault fault) {
        var scenario = ScenarioLoader.preset("urban");
        // The fault hits during the second batch (each batch is K x STEPS steps).
        var envs = FaultyEnvironment.factory(() -> new HospitalSimulator(scenario), fault, K * STEPS + 5, 1);
        var spec = new RolloutWorker.Spec("w-" + fault, "urban", envs, K, 7, 4, Duration.ofSeconds(30), Duration.ofMinutes(5));
        TestProbe<LearnerProtocol.Command> learner = kit.createTestProbe();
        ActorRef<WorkerProtocol.Command> worker = kit.spawn(RolloutWorker.supervised(spec, learner.getRef(), end -> { }));

        learner.expectMessageClass(RegisterWorker.class).worker().tell(welcome(1));
        TrajectoryBatch good = learner.expectMessageClass(TrajectoryBatch.class, Duration.ofSeconds(60));
        assertNull(TrajectoryBatches.problem(good, OBS, ACTIONS, 3));
        if (fault != FaultyEnvironment.Fault.THROW) {
            // The bad batch still goes to the learner, whose validation rejects and counts it.
            TrajectoryBatch bad = learner.expectMessageClass(TrajectoryBatch.class, Duration.ofSeconds(60));
            assertNotNull(TrajectoryBatches.problem(bad, OBS, ACTIONS, 3), "non-finite batch must fail validation");
        }
        // Restarted under supervision: it registers again and waits for the current weights.
        RegisterWorker again = learner.expectMessageClass(RegisterWorker.class, Duration.ofSeconds(30));
        assertEquals(worker, again.worker(), "same actor, restarted in place");
        learner.expectNoMessage(Duration.ofMillis(300)); // nothing collected before the Welcome
        again.worker().tell(welcome(9));
        TrajectoryBatch after = learner.expectMessageClass(TrajectoryBatch.class, Duration.ofSeconds(60));
        assertEquals(9, after.policyVersion(), "contributes only with the weights it was welcomed with");
        assertNull(TrajectoryBatches.problem(after, OBS, ACTIONS, 3));
        kit.stop(worker);
    }
}
