package io.grpo.coordinator.learner;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.grpo.core.GrpoConfig;
import io.grpo.core.rollout.CpuClock;
import io.grpo.core.rollout.SampleBatch;
import io.grpo.core.train.GrpoAgent;
import io.grpo.core.update.UpdateStats;
import io.grpo.protocol.LearnerProtocol;
import io.grpo.protocol.LearnerProtocol.RegisterWorker;
import io.grpo.protocol.LearnerProtocol.TrajectoryBatch;
import io.grpo.protocol.RolloutSettings;
import io.grpo.protocol.TrajectoryBatches;
import io.grpo.protocol.WorkerProtocol;
import io.grpo.protocol.WorkerProtocol.AckStatus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The learner for one policy id (a cluster singleton on the coordinator role). Workers register
 * and get the rollout settings and current weights; their batches are checked, dropped when
 * older than the allowed policy lag, and buffered; once the buffer holds the update budget the
 * learner runs one GRPO update and sends the new weights to every registered worker.
 *
 * <p>Weights go straight to the registered workers rather than through a pub-sub topic: the
 * learner must know its workers anyway (to welcome late joiners with the current version, to
 * count them, to stop them at the end), and death watch removes a vanished worker at once.
 *
 * <p>Memory: each batch is acknowledged when it is buffered or dropped, a worker has a
 * bounded number of unacknowledged batches, and the buffer never holds more than one update's
 * budget plus one batch, so at most {@code workers x maxInFlight} batches wait in the mailbox.
 */
public final class Learner extends AbstractBehavior<LearnerProtocol.Command> {

    private record WorkerGone(ActorRef<WorkerProtocol.Command> worker) implements LearnerProtocol.Command {}

    public static Behavior<LearnerProtocol.Command> create(LearnerSettings settings, GrpoAgent agent,
                                                           LearnerListener listener) {
        return Behaviors.setup(ctx -> {
            if (agent.learner().version() >= settings.updates()) {
                // Resumed from the final checkpoint: the run finished on the node that hosted it before.
                ctx.getLog().info("learner '{}' is at version {} of {}: the run has finished already",
                        settings.policyId(), agent.learner().version(), settings.updates());
                listener.onFinishedElsewhere();
                return new Learner(ctx, settings, agent, listener).finished();
            }
            return new Learner(ctx, settings, agent, listener);
        });
    }

    private final LearnerSettings settings;
    private final GrpoAgent agent;
    private final LearnerListener listener;
    private final RolloutSettings rolloutSettings;

    private final Map<ActorRef<WorkerProtocol.Command>, String> workers = new LinkedHashMap<>();
    private final Set<String> workersSeen = new HashSet<>();
    private final Set<String> nodesSeen = new HashSet<>();
    private final List<SampleBatch> buffer = new ArrayList<>();
    private int buffered;
    private final Map<String, ArrayDeque<Double>> recentReturns = new LinkedHashMap<>();

    private final long startNanos = System.nanoTime();
    private int update;
    private long envSteps;
    private long episodes;
    private long batchesReceived;
    private long batchesDroppedStale;
    private long batchesRejected;
    private long updatesRolledBack;
    private long workersLost;
    private final long startVersion;
    private long newestVersionReported = -1;
    private long batchesLostInFlight;
    private long samplesUsed;
    private long maxLagUsed;
    private long rolloutNanos;
    private long inferenceNanos;
    private long updateNanos;
    private final Map<String, Long> rejectionsLogged = new HashMap<>();
    /** False until --min-workers have registered; unwelcomed workers keep re-registering and wait. */
    private boolean welcoming;

    private Learner(ActorContext<LearnerProtocol.Command> ctx, LearnerSettings settings, GrpoAgent agent,
                    LearnerListener listener) {
        super(ctx);
        this.settings = settings;
        this.agent = agent;
        this.listener = listener;
        GrpoConfig c = settings.config();
        this.rolloutSettings = new RolloutSettings(c.rolloutSteps(), c.gamma(), c.gaeLambda(), c.rewardScale(),
                c.maskInvalidActions(), c.skipForcedSteps(), c.normalizeObservations(), c.observationClip(),
                c.hiddenSizes().stream().mapToInt(Integer::intValue).toArray(), c.activation().label(), 0,
                settings.groupNames().size(), settings.maxBatchBytes());
        for (String s : settings.scenarios()) recentReturns.put(s, new ArrayDeque<>());
        nodesSeen.add(ctx.getSystem().address().toString());
        this.update = (int) agent.learner().version();
        this.startVersion = agent.learner().version();
        this.welcoming = settings.minWorkers() <= 1 || startVersion > 0; // a resumed learner does not wait again
        ctx.getLog().info("learner '{}' for run {} started at version {}: scenarios {}, groups {}, {} samples per update",
                settings.policyId(), settings.runId(), update, settings.scenarios(), settings.groupNames(),
                settings.samplesPerUpdate());
    }

    @Override
    public Receive<LearnerProtocol.Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(RegisterWorker.class, this::onRegister)
                .onMessage(TrajectoryBatch.class, this::onBatch)
                .onMessage(WorkerGone.class, this::onWorkerGone)
                .build();
    }

    private Behavior<LearnerProtocol.Command> onRegister(RegisterWorker r) {
        String problem = !settings.scenarios().contains(r.scenario())
                ? "scenario '" + r.scenario() + "' is not part of this run (" + String.join(", ", settings.scenarios()) + ")"
                : r.observationSize() != settings.observationSize() || r.actionCount() != settings.actionCount()
                ? "environment has " + r.observationSize() + " features and " + r.actionCount() + " actions, the policy "
                + settings.observationSize() + " and " + settings.actionCount()
                : TrajectoryBatches.maxWireBytes(r.envCount() * rolloutSettings.rolloutSteps(), r.observationSize())
                > settings.maxBatchBytes()
                ? "a batch of " + r.envCount() + " envs x " + rolloutSettings.rolloutSteps() + " steps exceeds the "
                + settings.maxBatchBytes() + "-byte frame"
                : null;
        if (problem != null) {
            getContext().getLog().warn("rejected worker {}: {}", r.workerId(), problem);
            r.worker().tell(new WorkerProtocol.Rejected(problem));
            return this;
        }
        if (!workers.containsKey(r.worker())) {
            getContext().watchWith(r.worker(), new WorkerGone(r.worker()));
            workers.put(r.worker(), r.workerId());
            if (workersSeen.add(r.workerId())) {
                getContext().getLog().info("worker {} ({}) joined; {} registered", r.workerId(), r.scenario(), workers.size());
                if (!welcoming && workers.size() < settings.minWorkers()) {
                    getContext().getLog().info("learner '{}' waits for {} more workers before training starts",
                            settings.policyId(), settings.minWorkers() - workers.size());
                }
                // New to this learner: what it saw and sent before came from a learner that is gone.
                batchesLostInFlight += Math.max(0, r.batchesUnacked());
                if (r.lastVersionSeen() > newestVersionReported) {
                    newestVersionReported = r.lastVersionSeen();
                    if (newestVersionReported > startVersion) {
                        getContext().getLog().warn("learner '{}' started at version {}, worker {} had seen version {}: "
                                        + "{} updates lost to the fail-over", settings.policyId(), startVersion,
                                r.workerId(), newestVersionReported, newestVersionReported - startVersion);
                    }
                }
            }
            var address = r.worker().path().address();
            nodesSeen.add((address.hasLocalScope() ? getContext().getSystem().address() : address).toString());
        }
        if (!welcoming) {
            if (workers.size() < settings.minWorkers()) {
                return this; // it re-registers every few seconds and is welcomed once enough have
            }
            welcoming = true;
            getContext().getLog().info("learner '{}': {} workers registered (--min-workers {}): training starts",
                    settings.policyId(), workers.size(), settings.minWorkers());
        }
        RolloutSettings forWorker = rolloutSettings.withGroupOffset(settings.groupOffset(r.scenario()));
        r.worker().tell(new WorkerProtocol.Welcome(settings.runId(), forWorker, weights()));
        return this;
    }

    private Behavior<LearnerProtocol.Command> onWorkerGone(WorkerGone g) {
        String id = workers.remove(g.worker());
        if (id != null) {
            // Stopped, or its node died or was downed: either way it left before the run ended.
            workersLost++;
            getContext().getLog().info("worker {} left; {} registered", id, workers.size());
        }
        return this;
    }

    private Behavior<LearnerProtocol.Command> onBatch(TrajectoryBatch b) {
        batchesReceived++;
        if (b.replyTo() != null && !workers.containsKey(b.replyTo())) {
            // A new learner (after fail-over) has not welcomed this worker: its version numbers mean nothing here.
            batchesRejected++;
            b.replyTo().tell(new WorkerProtocol.BatchAck(b.sequence(), AckStatus.UNREGISTERED));
            return this;
        }
        if (!b.policyId().equals(settings.policyId())) return reject(b, "policy '" + b.policyId() + "'");
        String problem = TrajectoryBatches.problem(b, settings.observationSize(), settings.actionCount(),
                settings.groupNames().size());
        if (problem == null && b.episodeReturns() != null) {
            for (float r : b.episodeReturns()) if (!Float.isFinite(r)) problem = "non-finite episode return";
        }
        if (problem != null) return reject(b, problem);
        long lag = agent.learner().version() - b.policyVersion();
        if (lag < 0) return reject(b, "policy version " + b.policyVersion() + " is ahead of the learner's");
        if (lag > settings.maxPolicyLag()) {
            batchesDroppedStale++;
            b.replyTo().tell(new WorkerProtocol.BatchAck(b.sequence(), AckStatus.STALE));
            return this;
        }
        maxLagUsed = Math.max(maxLagUsed, lag);
        if (b.rawObservations() != null) agent.normalizer().merge(b.rawObservations());
        ArrayDeque<Double> returns = recentReturns.get(b.scenario());
        for (float r : b.episodeReturns()) {
            episodes++;
            if (returns != null) {
                returns.addLast((double) r);
                if (returns.size() > 100) returns.removeFirst();
            }
        }
        rolloutNanos += Math.max(0, b.rolloutNanos());
        inferenceNanos += Math.max(0, b.inferenceNanos());
        buffer.add(TrajectoryBatches.toSampleBatch(b));
        buffered += b.size();
        envSteps += b.size();
        b.replyTo().tell(new WorkerProtocol.BatchAck(b.sequence(), AckStatus.ACCEPTED));
        return buffered >= settings.samplesPerUpdate() ? update() : this;
    }

    private Behavior<LearnerProtocol.Command> reject(TrajectoryBatch b, String why) {
        batchesRejected++;
        // One log line per worker and reason, not one per batch.
        if (rejectionsLogged.merge(b.workerId() + why, 1L, Long::sum) == 1) {
            getContext().getLog().warn("rejected batch {} of worker {}: {}", b.sequence(), b.workerId(), why);
        }
        if (b.replyTo() != null) b.replyTo().tell(new WorkerProtocol.BatchAck(b.sequence(), AckStatus.REJECTED));
        return this;
    }

    private Behavior<LearnerProtocol.Command> update() {
        SampleBatch batch = SampleBatch.concat(buffer);
        buffer.clear();
        buffered = 0;
        GrpoConfig c = settings.config();
        double lr = c.annealLearningRate()
                ? c.learningRate() * (1.0 - (double) update / settings.updates())
                : c.learningRate();
        UpdateStats stats;
        long start = CpuClock.nanos();
        try {
            DivergenceGuard.Outcome outcome = DivergenceGuard.update(agent, batch, lr);
            updateNanos += CpuClock.nanos() - start;
            if (outcome.rolledBack()) {
                // Keep the last good policy; the workers carry on with it and the next batches try again.
                updatesRolledBack++;
                getContext().getLog().warn("learner '{}': update {} diverged ({}); rolled back to version {}, "
                                + "{} samples discarded, nothing broadcast", settings.policyId(), update + 1,
                        outcome.problem(), agent.learner().version(), batch.size());
                return this;
            }
            stats = outcome.stats();
        } catch (RuntimeException e) {
            // Batches were validated on arrival, so this is a bug or a diverged policy: fail the run loudly.
            getContext().getLog().error("learner '{}': update {} failed", settings.policyId(), update + 1, e);
            for (ActorRef<WorkerProtocol.Command> w : workers.keySet()) w.tell(new WorkerProtocol.Stop("learner failed"));
            listener.onFailed(e);
            return Behaviors.stopped();
        }
        update++;
        samplesUsed += batch.size();
        broadcast();

        Map<String, Double> returnsByScenario = new LinkedHashMap<>();
        double sum = 0;
        int n = 0;
        for (var e : recentReturns.entrySet()) {
            returnsByScenario.put(e.getKey(), e.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
            for (double r : e.getValue()) {
                sum += r;
                n++;
            }
        }
        String worst = worstGroup(stats);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        getContext().getLog().info("update {}/{} version {}: {} env steps, {} steps/s, returns {}, worst group {}, eta {}",
                update, settings.updates(), stats.version(), envSteps, Math.round(envSteps / seconds),
                format(returnsByScenario), worst, eta(seconds, update, settings.updates()));
        listener.onUpdate(agent, new LearnerListener.ClusterUpdate(update, envSteps, seconds, episodes,
                n == 0 ? Double.NaN : sum / n, returnsByScenario, worst, stats, clusterStats()));
        if (update >= settings.updates()) return finish();
        return this;
    }

    private Behavior<LearnerProtocol.Command> finish() {
        for (ActorRef<WorkerProtocol.Command> w : workers.keySet()) w.tell(new WorkerProtocol.Stop("run " + settings.runId() + " finished"));
        getContext().getLog().info("learner '{}' finished after {} updates; stopping {} workers", settings.policyId(),
                update, workers.size());
        listener.onFinished(agent, clusterStats());
        return finished();
    }

    /** Turns workers away once the run is over. */
    private Behavior<LearnerProtocol.Command> finished() {
        return Behaviors.receive(LearnerProtocol.Command.class)
                .onMessage(RegisterWorker.class, r -> {
                    r.worker().tell(new WorkerProtocol.Stop("run " + settings.runId() + " already finished"));
                    return Behaviors.same();
                })
                .onMessage(TrajectoryBatch.class, b -> {
                    b.replyTo().tell(new WorkerProtocol.Stop("run " + settings.runId() + " already finished"));
                    return Behaviors.same();
                })
                .onAnyMessage(m -> Behaviors.same())
                .build();
    }

    private void broadcast() {
        WorkerProtocol.PolicyWeights w = weights();
        for (ActorRef<WorkerProtocol.Command> worker : workers.keySet()) worker.tell(w);
    }

    private WorkerProtocol.PolicyWeights weights() {
        return new WorkerProtocol.PolicyWeights(settings.policyId(), agent.learner().version(), agent.net().parameters(),
                agent.normalizer().state());
    }

    private LearnerListener.ClusterStats clusterStats() {
        return new LearnerListener.ClusterStats(nodesSeen.size(), workersSeen.size(), batchesReceived,
                batchesDroppedStale, batchesRejected, samplesUsed, agent.learner().version(), maxLagUsed,
                rolloutNanos / 1e9, inferenceNanos / 1e9, updateNanos / 1e9, updatesRolledBack, workersLost,
                Math.max(0, newestVersionReported - startVersion), batchesLostInFlight);
    }

    private String worstGroup(UpdateStats stats) {
        int worst = -1;
        for (int g = 0; g < stats.groupLoss().length; g++) {
            double l = stats.groupLoss()[g];
            if (!Double.isNaN(l) && (worst < 0 || l > stats.groupLoss()[worst])) worst = g;
        }
        return worst < 0 ? "-" : settings.groupNames().get(worst);
    }

    private static String eta(double seconds, int done, int total) {
        long s = Math.round(seconds / done * (total - done));
        return s >= 3600 ? String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private static String format(Map<String, Double> returns) {
        StringBuilder sb = new StringBuilder("{");
        returns.forEach((k, v) -> {
            if (sb.length() > 1) sb.append(", ");
            sb.append(k).append('=').append(Double.isNaN(v) ? "-" : String.format(java.util.Locale.ROOT, "%.1f", v));
        });
        return sb.append('}').toString();
    }
}
