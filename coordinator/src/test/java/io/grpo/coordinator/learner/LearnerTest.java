package io.grpo.coordinator.learner;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.grpo.core.GrpoConfig;
import io.grpo.core.train.GrpoAgent;
import io.grpo.protocol.LearnerProtocol;
import io.grpo.protocol.LearnerProtocol.TrajectoryBatch;
import io.grpo.protocol.WorkerProtocol;
import io.grpo.protocol.WorkerProtocol.AckStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The learner against probes standing in for workers. */
class LearnerTest {
    private static final int OBS = 4;
    private static final int ACTIONS = 3;
    private static final int BATCH = 16;
    private static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create(); // application-test.conf: port 0
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /** Records what the learner reports. */
    static final class Recorder implements LearnerListener {
        final List<ClusterUpdate> updates = new CopyOnWriteArrayList<>();
        final CompletableFuture<ClusterStats> finished = new CompletableFuture<>();
        final CompletableFuture<Void> finishedElsewhere = new CompletableFuture<>();

        @Override
        public void onFinishedElsewhere() {
            finishedElsewhere.complete(null);
        }

        @Override
        public void onUpdate(GrpoAgent agent, ClusterUpdate update) {
            updates.add(update);
        }

        @Override
        public void onFinished(GrpoAgent agent, ClusterStats stats) {
            finished.complete(stats);
        }

        @Override
        public void onFailed(Throwable error) {
            finished.completeExceptionally(error);
        }
    }

    private static GrpoConfig config() {
        return GrpoConfig.builder().hiddenSizes(List.of(8)).numEnvs(2).rolloutSteps(8).minibatchSize(8).updateEpochs(1)
                .seed(3).build();
    }

    private static ActorRef<LearnerProtocol.Command> learner(int updates, int maxLag, Recorder recorder) {
        LearnerSettings settings = new LearnerSettings("run", "shared", config(), List.of("urban", "rural"),
                List.of("a", "b", "c"), 3, OBS, ACTIONS, updates, 2 * BATCH, maxLag, 1 << 20);
        GrpoAgent agent = new GrpoAgent(OBS, ACTIONS, settings.groupNames(), config());
        return kit.spawn(Learner.create(settings, agent, recorder));
    }

    private static WorkerProtocol.Welcome register(ActorRef<LearnerProtocol.Command> learner,
                                                   TestProbe<WorkerProtocol.Command> worker, String id, String scenario) {
        learner.tell(new LearnerProtocol.RegisterWorker(worker.getRef(), id, scenario, OBS, ACTIONS, 2));
        return worker.expectMessageClass(WorkerProtocol.Welcome.class);
    }

    private static long seq;

    static TrajectoryBatch batch(TestProbe<WorkerProtocol.Command> worker, String id, long version, float poison) {
        SplittableRandom rng = new SplittableRandom(seq);
        float[] obs = new float[BATCH * OBS];
        for (int i = 0; i < obs.length; i++) obs[i] = (float) rng.nextGaussian();
        obs[0] = poison;
        int[] actions = new int[BATCH];
        int[] groups = new int[BATCH];
        float[] logp = new float[BATCH], values = new float[BATCH], adv = new float[BATCH], ret = new float[BATCH];
        long[] masks = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            actions[i] = rng.nextInt(ACTIONS);
            groups[i] = rng.nextInt(3);
            logp[i] = (float) -Math.log(ACTIONS);
            adv[i] = (float) rng.nextGaussian();
            ret[i] = adv[i];
            masks[i] = (1L << ACTIONS) - 1;
        }
        return new TrajectoryBatch(worker.getRef(), id, "urban", "shared", version, ++seq, OBS, obs, actions,
                new float[BATCH], new boolean[BATCH], new boolean[BATCH], logp, values, adv, ret, groups, masks, null,
                new float[]{10f}, new int[]{5}, 1_000_000L, 100_000L);
    }

    @Test
    void welcomesNoWorkerUntilMinWorkersHaveRegisteredThenEveryLaterOneAtOnce() {
        LearnerSettings settings = new LearnerSettings("run", "shared", config(), List.of("urban", "rural"),
                List.of("a", "b", "c"), 3, OBS, ACTIONS, 2, 2 * BATCH, 1, 1 << 20, 2);
        ActorRef<LearnerProtocol.Command> learner = kit.spawn(Learner.create(settings,
                new GrpoAgent(OBS, ACTIONS, settings.groupNames(), config()), new Recorder()));
        TestProbe<WorkerProtocol.Command> w1 = kit.createTestProbe();
        TestProbe<WorkerProtocol.Command> w2 = kit.createTestProbe();
        TestProbe<WorkerProtocol.Command> w3 = kit.createTestProbe();
        learner.tell(new LearnerProtocol.RegisterWorker(w1.getRef(), "w1", "urban", OBS, ACTIONS, 2));
        learner.tell(new LearnerProtocol.RegisterWorker(w1.getRef(), "w1", "urban", OBS, ACTIONS, 2)); // its retry
        w1.expectNoMessage(Duration.ofMillis(300));
        register(learner, w2, "w2", "rural"); // the second: training starts
        register(learner, w1, "w1", "urban"); // the first is welcomed at its next retry
        register(learner, w3, "w3", "urban"); // a later joiner at once
    }

    @Test
    void updatesOnceTheBudgetIsBufferedAndBroadcastsToEveryWorker() throws Exception {
        Recorder recorder = new Recorder();
        ActorRef<LearnerProtocol.Command> learner = learner(2, 1, recorder);
        TestProbe<WorkerProtocol.Command> w1 = kit.createTestProbe();
        TestProbe<WorkerProtocol.Command> w2 = kit.createTestProbe();
        WorkerProtocol.Welcome welcome = register(learner, w1, "w1", "urban");
        assertEquals(0, welcome.weights().version());
        assertEquals(0, welcome.settings().groupOffset(), "demographic groups: no offset");
        assertEquals(8, welcome.settings().rolloutSteps());
        register(learner, w2, "w2", "rural");

        learner.tell(batch(w1, "w1", 0, 0f));
        assertEquals(AckStatus.ACCEPTED, w1.expectMessageClass(WorkerProtocol.BatchAck.class).status());
        w2.expectNoMessage(Duration.ofMillis(200)); // half the budget: no update yet
        learner.tell(batch(w2, "w2", 0, 0f));
        assertEquals(AckStatus.ACCEPTED, w2.expectMessageClass(WorkerProtocol.BatchAck.class).status());
        WorkerProtocol.PolicyWeights v1 = w1.expectMessageClass(WorkerProtocol.PolicyWeights.class);
        assertEquals(1, v1.version());
        assertArrayEquals(v1.parameters(), w2.expectMessageClass(WorkerProtocol.PolicyWeights.class).parameters());
        w1.awaitAssert(() -> {
            assertEquals(1, recorder.updates.size());
            return null;
        }); // reported right after the broadcast
        assertEquals(2 * BATCH, recorder.updates.get(0).envSteps());

        // A late joiner is welcomed with the current version.
        TestProbe<WorkerProtocol.Command> w3 = kit.createTestProbe();
        assertEquals(1, register(learner, w3, "w3", "urban").weights().version());

        learner.tell(batch(w1, "w1", 1, 0f));
        learner.tell(batch(w3, "w3", 0, 0f)); // lag 1: still allowed
        var stats = recorder.finished.get(30, TimeUnit.SECONDS);
        assertEquals(2, stats.policyVersion());
        assertEquals(1, stats.maxPolicyLagUsed());
        assertEquals(3, stats.workersSeen());
        assertEquals(4 * BATCH, stats.samplesUsed());
        // The run is over: every worker is told to stop.
        w2.fishForMessage(Duration.ofSeconds(10), m -> m instanceof WorkerProtocol.Stop
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete() : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    }

    @Test
    void dropsAndCountsStaleAndMalformedBatches() throws Exception {
        Recorder recorder = new Recorder();
        ActorRef<LearnerProtocol.Command> learner = learner(3, 0, recorder);
        TestProbe<WorkerProtocol.Command> w = kit.createTestProbe();
        register(learner, w, "w", "urban");
        learner.tell(batch(w, "w", 0, 0f));
        learner.tell(batch(w, "w", 0, 0f));
        w.expectMessageClass(WorkerProtocol.BatchAck.class);
        w.expectMessageClass(WorkerProtocol.BatchAck.class);
        assertEquals(1, w.expectMessageClass(WorkerProtocol.PolicyWeights.class).version());

        learner.tell(batch(w, "w", 0, 0f)); // version 0 at learner version 1, max lag 0
        assertEquals(AckStatus.STALE, w.expectMessageClass(WorkerProtocol.BatchAck.class).status());
        learner.tell(batch(w, "w", 1, Float.NaN));
        assertEquals(AckStatus.REJECTED, w.expectMessageClass(WorkerProtocol.BatchAck.class).status());
        TrajectoryBatch wrongShape = batch(w, "w", 1, 0f);
        learner.tell(new TrajectoryBatch(wrongShape.replyTo(), "w", "urban", "shared", 1, 99, OBS + 1,
                wrongShape.observations(), wrongShape.actions(), wrongShape.rewards(), wrongShape.terminated(),
                wrongShape.truncated(), wrongShape.behaviourLogProbs(), wrongShape.values(), wrongShape.advantages(),
                wrongShape.returns(), wrongShape.groups(), wrongShape.actionMasks(), null, new float[0], new int[0], 0, 0));
        assertEquals(AckStatus.REJECTED, w.expectMessageClass(WorkerProtocol.BatchAck.class).status());

        for (int i = 0; i < 2; i++) learner.tell(batch(w, "w", 1, 0f));
        w.expectMessageClass(WorkerProtocol.BatchAck.class);
        w.expectMessageClass(WorkerProtocol.BatchAck.class);
        assertEquals(2, w.expectMessageClass(WorkerProtocol.PolicyWeights.class).version());
        w.awaitAssert(() -> {
            assertEquals(2, recorder.updates.size());
            return null;
        });
        ClusterUpdateCheck.lastCounts(recorder.updates.get(1).cluster(), 1, 2);
        assertFalse(recorder.finished.isDone());
    }

    @Test
    void rollsBackAnUpdateThatLeavesNonFiniteParametersAndNeverBroadcastsIt() throws Exception {
        Recorder recorder = new Recorder();
        ActorRef<LearnerProtocol.Command> learner = learner(1, 5, recorder);
        TestProbe<WorkerProtocol.Command> w = kit.createTestProbe();
        float[] before = register(learner, w, "w", "urban").weights().parameters();
        // Finite, so it passes validation, but large enough to overflow the forward pass.
        for (int i = 0; i < 2; i++) {
            TrajectoryBatch b = batch(w, "w", 0, 0f);
            java.util.Arrays.fill(b.observations(), 3e38f);
            java.util.Arrays.fill(b.behaviourLogProbs(), -3e38f);
            java.util.Arrays.fill(b.returns(), 3e38f);
            learner.tell(b);
            assertEquals(AckStatus.ACCEPTED, w.expectMessageClass(WorkerProtocol.BatchAck.class).status());
        }
        w.expectNoMessage(Duration.ofMillis(500)); // no weights: the update was undone
        assertEquals(0, recorder.updates.size());

        for (int i = 0; i < 2; i++) learner.tell(batch(w, "w", 0, 0f));
        w.expectMessageClass(WorkerProtocol.BatchAck.class);
        w.expectMessageClass(WorkerProtocol.BatchAck.class);
        WorkerProtocol.PolicyWeights v1 = w.expectMessageClass(WorkerProtocol.PolicyWeights.class);
        assertEquals(1, v1.version(), "the version continues from the last good one");
        for (float p : v1.parameters()) assertFalse(Float.isNaN(p) || Float.isInfinite(p));
        assertFalse(java.util.Arrays.equals(before, v1.parameters()), "the good update was applied");
        var stats = recorder.finished.get(30, TimeUnit.SECONDS);
        assertEquals(1, stats.updatesRolledBack());
        assertEquals(1, stats.policyVersion());
    }

    @Test
    void aResumedLearnerCountsWhatTheFailoverLost() throws Exception {
        LearnerSettings settings = new LearnerSettings("run", "shared", config(), List.of("urban", "rural"),
                List.of("a", "b", "c"), 3, OBS, ACTIONS, 50, 2 * BATCH, 5, 1 << 20);
        GrpoAgent agent = new GrpoAgent(OBS, ACTIONS, settings.groupNames(), config());
        var state = agent.learner().state(); // as if restored from the checkpoint of version 20
        agent.learner().restore(new io.grpo.core.update.LearnerState(20, state.adamSteps(), state.parameters(),
                state.policyOptimizer(), state.valueOptimizer(), state.groupWeights()));
        Recorder recorder = new Recorder();
        ActorRef<LearnerProtocol.Command> learner = kit.spawn(Learner.create(settings, agent, recorder));
        TestProbe<WorkerProtocol.Command> w1 = kit.createTestProbe();
        TestProbe<WorkerProtocol.Command> w2 = kit.createTestProbe();
        // The dead learner had reached version 23; w1 had 2 batches it never acknowledged, w2 one.
        learner.tell(new LearnerProtocol.RegisterWorker(w1.getRef(), "w1", "urban", OBS, ACTIONS, 2, 23, 2));
        assertEquals(20, w1.expectMessageClass(WorkerProtocol.Welcome.class).weights().version(), "resumes at 20, not 0");
        learner.tell(new LearnerProtocol.RegisterWorker(w2.getRef(), "w2", "rural", OBS, ACTIONS, 2, 22, 1));
        w2.expectMessageClass(WorkerProtocol.Welcome.class);
        // A repeated registration of a known worker is not a new loss.
        learner.tell(new LearnerProtocol.RegisterWorker(w1.getRef(), "w1", "urban", OBS, ACTIONS, 2, 23, 2));
        w1.expectMessageClass(WorkerProtocol.Welcome.class);
        learner.tell(batch(w1, "w1", 20, 0f));
        learner.tell(batch(w2, "w2", 20, 0f));
        w1.expectMessageClass(WorkerProtocol.BatchAck.class);
        assertEquals(21, w1.expectMessageClass(WorkerProtocol.PolicyWeights.class).version(), "versions go on from 20");
        w1.awaitAssert(() -> {
            assertEquals(1, recorder.updates.size());
            return null;
        });
        var stats = recorder.updates.get(0).cluster();
        assertEquals(3, stats.updatesLostToFailover());
        assertEquals(3, stats.batchesLostInFlight());
    }

    @Test
    void aLearnerResumedFromTheFinalCheckpointReportsTheRunFinishedElsewhere() throws Exception {
        LearnerSettings settings = new LearnerSettings("run", "shared", config(), List.of("urban"), List.of("a", "b", "c"),
                3, OBS, ACTIONS, 4, 2 * BATCH, 1, 1 << 20);
        GrpoAgent agent = new GrpoAgent(OBS, ACTIONS, settings.groupNames(), config());
        var state = agent.learner().state();
        agent.learner().restore(new io.grpo.core.update.LearnerState(4, state.adamSteps(), state.parameters(),
                state.policyOptimizer(), state.valueOptimizer(), state.groupWeights()));
        Recorder recorder = new Recorder();
        ActorRef<LearnerProtocol.Command> learner = kit.spawn(Learner.create(settings, agent, recorder));
        recorder.finishedElsewhere.get(30, TimeUnit.SECONDS);
        assertFalse(recorder.finished.isDone(), "does not report (or summarise) a run it did not finish");
        TestProbe<WorkerProtocol.Command> late = kit.createTestProbe();
        learner.tell(new LearnerProtocol.RegisterWorker(late.getRef(), "late", "urban", OBS, ACTIONS, 2));
        late.expectMessageClass(WorkerProtocol.Stop.class);
    }

    @Test
    void asksUnknownWorkersToRegister() {
        ActorRef<LearnerProtocol.Command> learner = learner(1, 1, new Recorder());
        TestProbe<WorkerProtocol.Command> stranger = kit.createTestProbe();
        learner.tell(batch(stranger, "stranger", 0, 0f));
        assertEquals(AckStatus.UNREGISTERED, stranger.expectMessageClass(WorkerProtocol.BatchAck.class).status());
    }

    @Test
    void refusesWorkersOfOtherScenariosOrShapes() {
        ActorRef<LearnerProtocol.Command> learner = learner(1, 1, new Recorder());
        TestProbe<WorkerProtocol.Command> w = kit.createTestProbe();
        learner.tell(new LearnerProtocol.RegisterWorker(w.getRef(), "x", "mars", OBS, ACTIONS, 2));
        w.expectMessageClass(WorkerProtocol.Rejected.class);
        learner.tell(new LearnerProtocol.RegisterWorker(w.getRef(), "x", "urban", OBS + 1, ACTIONS, 2));
        w.expectMessageClass(WorkerProtocol.Rejected.class);
        learner.tell(new LearnerProtocol.RegisterWorker(w.getRef(), "x", "urban", OBS, ACTIONS, 1_000_000));
        w.expectMessageClass(WorkerProtocol.Rejected.class);
    }

    /** Counters of the cluster block. */
    static final class ClusterUpdateCheck {
        static void lastCounts(LearnerListener.ClusterStats s, long stale, long rejected) {
            assertEquals(stale, s.batchesDroppedStale(), "stale batches");
            assertEquals(rejected, s.batchesRejected(), "rejected batches");
        }
    }
}
