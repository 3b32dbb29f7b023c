package io.grpo.node.worker;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.grpo.core.env.EnvironmentFactory;
import io.grpo.core.env.ForcedStepSkipping;
import io.grpo.core.env.VectorEnv;
import io.grpo.core.policy.DenseForward;
import io.grpo.core.policy.HiddenActivation;
import io.grpo.core.policy.ObservationNormalizer;
import io.grpo.core.rollout.CpuClock;
import io.grpo.core.rollout.RolloutCollector;
import io.grpo.core.rollout.SampleBatch;
import io.grpo.protocol.LearnerProtocol;
import io.grpo.protocol.RolloutSettings;
import io.grpo.protocol.TrajectoryBatches;
import io.grpo.protocol.WorkerProtocol;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Rolls out one scenario on K environment copies with the newest policy it has received and
 * streams the trajectories to its learner.
 *
 * <p>Registering: re-sends {@code RegisterWorker} until the learner welcomes it (the learner
 * may not exist yet). Rolling: one batch per {@code CollectNext} self-message, so weights and
 * acks are handled between batches; at most {@code maxInFlight} batches are unacknowledged,
 * after which it waits for an ack (no polling). If no ack comes within {@code ackTimeout} the
 * learner is presumed gone (fail-over): the window is reset and the worker registers again.
 *
 * <p>Faults: run it through {@link #supervised}. An environment that throws, or a batch with a
 * non-finite number in it (sent anyway, so that the learner rejects and counts it), fails the
 * worker; it restarts with backoff on fresh environment copies, registers again and receives the
 * current weights before it collects anything else.
 */
public final class RolloutWorker extends AbstractBehavior<WorkerProtocol.Command> {

    /**
     * @param workerId     unique in the cluster (node address + index)
     * @param scenario     name of the scenario it rolls out, as the learner knows it
     * @param environments copies of that scenario
     * @param envCount     K, environment copies stepped together
     * @param seed         seeds environment copies and action sampling
     * @param maxInFlight  unacknowledged batches allowed before pausing
     */
    public record Spec(String workerId, String scenario, EnvironmentFactory environments, int envCount, long seed,
                       int maxInFlight, Duration registerInterval, Duration ackTimeout) {
        public Spec {
            if (envCount < 1) throw new IllegalArgumentException("envs per worker must be >= 1, got " + envCount);
            if (maxInFlight < 1) throw new IllegalArgumentException("max in-flight batches must be >= 1, got " + maxInFlight);
        }
    }

    private record CollectNext() implements WorkerProtocol.Command {}

    private record RegisterTick() implements WorkerProtocol.Command {}

    private record AckTimeout() implements WorkerProtocol.Command {}

    private static final Object REGISTER_TIMER = "register";
    private static final Object ACK_TIMER = "ack";

    /** Why a worker stopped: the learner finished the run, or something it cannot recover from. */
    public record End(boolean finished, String reason) {}

    /** Restart backoff after a fault: quick first retry, capped so a broken environment does not spin. */
    static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    /** The environment produced something the learner cannot train on. */
    public static final class BadRolloutException extends RuntimeException {
        public BadRolloutException(String message) {
            super(message);
        }
    }

    /** {@link #create} restarted with backoff when the environment throws or yields non-finite numbers. */
    public static Behavior<WorkerProtocol.Command> supervised(Spec spec, ActorRef<LearnerProtocol.Command> learner,
                                                              java.util.function.Consumer<End> onEnd) {
        return Behaviors.supervise(create(spec, learner, onEnd))
                .onFailure(RuntimeException.class, SupervisorStrategy.restartWithBackoff(MIN_BACKOFF, MAX_BACKOFF, 0.2)
                        .withResetBackoffAfter(Duration.ofMinutes(1)));
    }

    public static Behavior<WorkerProtocol.Command> create(Spec spec, ActorRef<LearnerProtocol.Command> learner) {
        return create(spec, learner, end -> { });
    }

    /** @param onEnd told once, on the worker's thread, why it stops */
    public static Behavior<WorkerProtocol.Command> create(Spec spec, ActorRef<LearnerProtocol.Command> learner,
                                                          java.util.function.Consumer<End> onEnd) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new RolloutWorker(ctx, timers, spec, learner, onEnd)));
    }

    private final TimerScheduler<WorkerProtocol.Command> timers;
    private final Spec spec;
    private final ActorRef<LearnerProtocol.Command> learner;
    private final java.util.function.Consumer<End> onEnd;
    private final int observationSize;
    private final int actionCount;

    // Set by the first Welcome.
    private String policyId;
    private RolloutSettings settings;
    private DenseForward policy; // plain-Java inference on the received weights
    private ObservationNormalizer normalizer;
    private RolloutCollector collector;

    private boolean registering;
    private long version = -1;
    private long sequence;
    private int inFlight;
    private boolean collecting;
    private int unackedAtLoss; // batches the previous learner never acknowledged, told to the next one

    private RolloutWorker(ActorContext<WorkerProtocol.Command> ctx, TimerScheduler<WorkerProtocol.Command> timers,
                          Spec spec, ActorRef<LearnerProtocol.Command> learner, java.util.function.Consumer<End> onEnd) {
        super(ctx);
        this.onEnd = onEnd;
        this.timers = timers;
        this.spec = spec;
        this.learner = learner;
        var probe = spec.environments().create();
        this.observationSize = probe.observationSize();
        this.actionCount = probe.actionCount();
        register();
    }

    @Override
    public Receive<WorkerProtocol.Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(RegisterTick.class, m -> register())
                .onMessage(WorkerProtocol.Welcome.class, this::onWelcome)
                .onMessage(WorkerProtocol.Rejected.class, this::onRejected)
                .onMessage(WorkerProtocol.PolicyWeights.class, this::onWeights)
                .onMessage(CollectNext.class, m -> collect())
                .onMessage(WorkerProtocol.BatchAck.class, this::onAck)
                .onMessage(AckTimeout.class, m -> onAckTimeout())
                .onMessage(WorkerProtocol.Stop.class, this::onStop)
                .build();
    }

    private Behavior<WorkerProtocol.Command> register() {
        registering = true;
        learner.tell(new LearnerProtocol.RegisterWorker(getContext().getSelf(), spec.workerId(), spec.scenario(),
                observationSize, actionCount, spec.envCount(), version, unackedAtLoss));
        timers.startSingleTimer(REGISTER_TIMER, new RegisterTick(), spec.registerInterval());
        return this;
    }

    private Behavior<WorkerProtocol.Command> onWelcome(WorkerProtocol.Welcome w) {
        if (!registering) return onWeights(w.weights()); // answer to a repeated registration
        registering = false;
        timers.cancel(REGISTER_TIMER);
        RolloutSettings s = w.settings();
        long bytes = TrajectoryBatches.maxWireBytes(s.rolloutSteps() * spec.envCount(), observationSize);
        if (bytes > s.maxBatchBytes()) {
            // A batch that cannot cross the wire would be dropped silently by Artery at run time.
            getContext().getLog().error("worker {}: a batch of {} x {} samples may need {} bytes, the learner's frame "
                            + "allows {}; lower --envs-per-worker or raise --frame-size on every node",
                    spec.workerId(), s.rolloutSteps(), spec.envCount(), bytes, s.maxBatchBytes());
            onEnd.accept(new End(false, "batch larger than the learner's frame"));
            return Behaviors.stopped();
        }
        if (collector == null || !Arrays.equals(s.hiddenSizes(), settings.hiddenSizes())
                || !s.activation().equals(settings.activation())) {
            List<Integer> hidden = Arrays.stream(s.hiddenSizes()).boxed().toList();
            policy = new DenseForward(observationSize, actionCount, hidden, HiddenActivation.parse(s.activation()));
            normalizer = new ObservationNormalizer(observationSize, s.normalizeObservations(), s.observationClip());
            VectorEnv envs = new VectorEnv(ForcedStepSkipping.wrapIf(s.skipForcedSteps(), spec.environments()), spec.envCount(), spec.seed() * 1_000L, null);
            collector = new RolloutCollector(envs, policy, normalizer, false, spec.seed() * 31 + 17, s.rewardScale(),
                    s.gamma(), s.gaeLambda(), s.maskInvalidActions());
        }
        settings = s;
        policyId = w.weights().policyId();
        version = -1;
        unackedAtLoss = 0;
        inFlight = 0;
        timers.cancel(ACK_TIMER);
        adopt(w.weights());
        getContext().getLog().info("worker {} ({}) joined run {} at policy version {}", spec.workerId(), spec.scenario(),
                w.runId(), version);
        startCollecting();
        return this;
    }

    private Behavior<WorkerProtocol.Command> onRejected(WorkerProtocol.Rejected r) {
        getContext().getLog().error("worker {} ({}): the learner rejected it: {}", spec.workerId(), spec.scenario(), r.reason());
        onEnd.accept(new End(false, "rejected: " + r.reason()));
        return Behaviors.stopped();
    }

    private Behavior<WorkerProtocol.Command> onWeights(WorkerProtocol.PolicyWeights w) {
        if (collector != null && w.policyId().equals(policyId)) adopt(w);
        return this;
    }

    private void adopt(WorkerProtocol.PolicyWeights w) {
        if (w.version() <= version) return; // reordered or repeated broadcast
        policy.load(w.parameters());
        if (w.normalizer() != null) normalizer.restore(w.normalizer());
        version = w.version();
    }

    private Behavior<WorkerProtocol.Command> collect() {
        collecting = false;
        if (registering) return this; // resumed by the Welcome
        if (inFlight >= spec.maxInFlight()) return this; // resumed by the next ack
        long start = CpuClock.nanos();
        RolloutCollector.Rollout r = collector.collect(settings.rolloutSteps());
        long rolloutNanos = CpuClock.nanos() - start;
        SampleBatch b = r.batch();
        int[] groups = b.groups();
        if (settings.groupOffset() != 0) {
            groups = groups.clone();
            for (int i = 0; i < groups.length; i++) groups[i] += settings.groupOffset();
        }
        float[] episodeReturns = new float[r.episodes().size()];
        int[] episodeLengths = new int[r.episodes().size()];
        for (int i = 0; i < episodeReturns.length; i++) {
            episodeReturns[i] = (float) r.episodes().get(i).returnValue();
            episodeLengths[i] = r.episodes().get(i).length();
        }
        learner.tell(new LearnerProtocol.TrajectoryBatch(getContext().getSelf(), spec.workerId(), spec.scenario(), policyId,
                version, ++sequence, b.observationSize(), b.observations(), b.actions(), r.rewards(), r.terminated(),
                r.truncated(), b.behaviourLogProbs(), b.behaviourValues(), b.advantages(), b.returns(), groups,
                b.actionMasks(), r.rawMoments(), episodeReturns, episodeLengths, rolloutNanos, r.inferenceNanos()));
        inFlight++;
        String bad = nonFinite(b, r.rewards(), r.rawMoments());
        if (bad != null) {
            // Environment state may be corrupt too: fail so supervision restarts on fresh copies.
            throw new BadRolloutException("worker " + spec.workerId() + ": environment produced a non-finite " + bad
                    + " in batch " + sequence + "; restarting on fresh environments");
        }
        if (inFlight >= spec.maxInFlight()) {
            timers.startSingleTimer(ACK_TIMER, new AckTimeout(), spec.ackTimeout());
        } else {
            startCollecting();
        }
        return this;
    }

    /** Clipping hides an infinite observation from the batch, not from the raw moments: check both. */
    private static String nonFinite(SampleBatch b, float[] rewards, ObservationNormalizer.State raw) {
        for (float x : rewards) if (!Float.isFinite(x)) return "reward";
        if (raw != null) {
            for (double x : raw.mean()) if (!Double.isFinite(x)) return "observation";
            for (double x : raw.var()) if (!Double.isFinite(x)) return "observation";
        }
        return b.firstNonFinite();
    }

    private void startCollecting() {
        if (collecting) return;
        collecting = true;
        getContext().getSelf().tell(new CollectNext());
    }

    private Behavior<WorkerProtocol.Command> onAck(WorkerProtocol.BatchAck ack) {
        if (ack.status() == WorkerProtocol.AckStatus.UNREGISTERED) {
            if (registering) return this;
            getContext().getLog().info("worker {}: the learner does not know it (restarted?); registering again",
                    spec.workerId());
            // This batch reached the new learner (and was refused); the others went to the old one.
            unackedAtLoss = Math.max(0, inFlight - 1);
            inFlight = 0;
            timers.cancel(ACK_TIMER);
            return register();
        }
        if (inFlight == 0) return this; // an ack from before a re-registration
        inFlight--;
        timers.cancel(ACK_TIMER);
        if (ack.status() == WorkerProtocol.AckStatus.REJECTED) {
            getContext().getLog().warn("worker {}: learner rejected batch {}", spec.workerId(), ack.sequence());
        }
        startCollecting();
        return this;
    }

    private Behavior<WorkerProtocol.Command> onAckTimeout() {
        getContext().getLog().warn("worker {}: no ack for {}; re-registering with the learner", spec.workerId(),
                spec.ackTimeout());
        unackedAtLoss = inFlight;
        inFlight = 0;
        return register();
    }

    private Behavior<WorkerProtocol.Command> onStop(WorkerProtocol.Stop stop) {
        getContext().getLog().info("worker {} stopping: {}", spec.workerId(), stop.reason());
        onEnd.accept(new End(true, stop.reason()));
        return Behaviors.stopped();
    }
}
