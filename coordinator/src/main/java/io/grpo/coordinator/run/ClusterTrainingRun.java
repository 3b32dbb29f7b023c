package io.grpo.coordinator.run;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.Join;
import akka.cluster.typed.SingletonActor;
import io.grpo.coordinator.learner.Learner;
import io.grpo.coordinator.learner.LearnerListener;
import io.grpo.coordinator.learner.LearnerSettings;
import io.grpo.core.GrpoConfig;
import io.grpo.core.env.Environment;
import io.grpo.core.policy.ActorCritic;
import io.grpo.core.train.GrpoAgent;
import io.grpo.core.train.TrainingListener;
import io.grpo.core.train.UpdateReport;
import io.grpo.node.LearnerProxy;
import io.grpo.node.NodeConfig;
import io.grpo.node.WorkerNode;
import io.grpo.node.worker.RolloutWorker;
import io.grpo.protocol.LearnerProtocol;
import io.grpo.protocol.TrajectoryBatches;
import io.grpo.scenarios.EnvironmentSpec;

import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A training run on Akka Cluster: this node hosts the learners (one cluster singleton per
 * policy id) and, in embedded mode, the rollout workers too; remote worker nodes may join.
 * Writes the run directory: config, metrics per update, checkpoints, and a summary with each
 * scenario's held-out evaluation and the cluster's counters.
 */
public final class ClusterTrainingRun {
    /** One shared policy for all scenarios, or one per scenario (the original's four agents). */
    public enum PolicyLayout { SHARED, PER_SCENARIO }

    /** Groups the robust term weighs: patient demographic, or scenario x demographic. */
    public enum Grouping { DEMOGRAPHIC, SCENARIO_DEMOGRAPHIC }

    /**
     * @param scenarios          scenario name -> environment, in group order
     * @param updates            updates per policy
     * @param samplesPerUpdate   fresh samples per update
     * @param workersPerScenario workers this JVM runs per scenario (0: workers come from other nodes)
     */
    public record Plan(Map<String, EnvironmentSpec> scenarios, PolicyLayout layout, Grouping grouping, GrpoConfig config,
                       int updates, int samplesPerUpdate, int maxPolicyLag, int workersPerScenario, int envsPerWorker,
                       int maxInFlight, int evalEpisodes, int checkpointEveryUpdates, int minWorkers) {
        /** A plan whose learners start with the first worker. */
        public Plan(Map<String, EnvironmentSpec> scenarios, PolicyLayout layout, Grouping grouping, GrpoConfig config,
                    int updates, int samplesPerUpdate, int maxPolicyLag, int workersPerScenario, int envsPerWorker,
                    int maxInFlight, int evalEpisodes, int checkpointEveryUpdates) {
            this(scenarios, layout, grouping, config, updates, samplesPerUpdate, maxPolicyLag, workersPerScenario,
                    envsPerWorker, maxInFlight, evalEpisodes, checkpointEveryUpdates, 0);
        }

        public Plan {
            scenarios = new LinkedHashMap<>(scenarios);
            if (scenarios.isEmpty()) throw new IllegalArgumentException("need at least one scenario");
            if (workersPerScenario < 0) throw new IllegalArgumentException("workers per scenario must be >= 0");
            if (minWorkers < 0) throw new IllegalArgumentException("min workers must be >= 0, got " + minWorkers);
            if (envsPerWorker < 1) throw new IllegalArgumentException("envs per worker must be >= 1, got " + envsPerWorker);
            if (evalEpisodes < 1) throw new IllegalArgumentException("eval episodes must be >= 1, got " + evalEpisodes);
        }

        String policyOf(String scenario) {
            return layout == PolicyLayout.SHARED ? "shared" : scenario;
        }

        List<String> scenariosOf(String policyId) {
            return scenarios.keySet().stream().filter(s -> policyOf(s).equals(policyId)).toList();
        }

        List<String> policyIds() {
            return scenarios.keySet().stream().map(this::policyOf).distinct().toList();
        }
    }

    /** The resolved configuration as written to {@code config.json}. */
    public record ResolvedConfig(String mode, List<String> scenarios, PolicyLayout policyLayout, Grouping grouping,
                                 GrpoConfig grpo, int updates, int samplesPerUpdate, int maxPolicyLag,
                                 int workersPerScenario, int envsPerWorker, int maxInFlight, int evalEpisodes,
                                 int checkpointEveryUpdates, NodeConfig node) {}

    private final Plan plan;
    private final NodeConfig node;
    private final boolean standby;

    public ClusterTrainingRun(Plan plan, NodeConfig node) {
        this(plan, node, false);
    }

    /**
     * @param standby a second coordinator sharing the run directory: its learner only starts when
     *                the node hosting the learner singleton goes away, and resumes from the newest
     *                valid checkpoint; it does not write config.json
     */
    public ClusterTrainingRun(Plan plan, NodeConfig node, boolean standby) {
        this.plan = plan;
        this.node = node;
        this.standby = standby;
    }

    /**
     * Fails at start, not silently at run time, when the policy's weights or (embedded) a
     * worker's batch cannot fit the node's Artery frame.
     *
     * @throws IllegalArgumentException naming the sizes and the flag to change
     */
    public void checkFrames() {
        long frame = node.maxFrameBytes();
        for (EnvironmentSpec env : plan.scenarios().values()) {
            Environment probe = env.factory().create();
            long params = ActorCritic.create(probe.observationSize(), probe.actionCount(), plan.config().hiddenSizes(),
                    plan.config().activation(), 0, 0.2, 0, DataType.FLOAT).parameterCount();
            long weightBytes = 4L * params + 16L * probe.observationSize() + 1024;
            if (weightBytes > frame) {
                throw new IllegalArgumentException("policy weights need about " + weightBytes + " bytes, more than the "
                        + frame + "-byte Artery frame; use smaller hidden layers or a larger --frame-size");
            }
            long batchBytes = TrajectoryBatches.maxWireBytes(plan.envsPerWorker() * plan.config().rolloutSteps(),
                    probe.observationSize());
            if (embedded() && batchBytes > frame) {
                throw new IllegalArgumentException("a batch of " + plan.envsPerWorker() + " envs x "
                        + plan.config().rolloutSteps() + " steps may need " + batchBytes + " bytes, more than the "
                        + frame + "-byte Artery frame; lower --envs-per-worker or raise --frame-size");
            }
        }
    }

    public boolean embedded() {
        return plan.workersPerScenario() > 0;
    }

    /**
     * Trains to the end and summarises; null when another coordinator finished (and summarised)
     * the run while this one stood by.
     */
    public ClusterSummary run(RunDirectory dir, TrainingListener progress, Duration timeout) throws IOException {
        checkFrames();
        String runId = dir.root().getFileName().toString();
        if (!standby) dir.writeJson(dir.config(), new ResolvedConfig(embedded() ? "embedded" : "coordinator",
                List.copyOf(plan.scenarios().keySet()), plan.layout(), plan.grouping(), plan.config(), plan.updates(),
                plan.samplesPerUpdate(), plan.maxPolicyLag(), plan.workersPerScenario(), plan.envsPerWorker(),
                plan.maxInFlight(), plan.evalEpisodes(), plan.checkpointEveryUpdates(), node));
        Map<String, PolicyRun> policies = new LinkedHashMap<>();
        ProgressAggregator aggregate = new ProgressAggregator(progress);
        for (String policyId : plan.policyIds()) {
            policies.put(policyId, new PolicyRun(runId, policyId, dir, aggregate));
        }
        long start = System.nanoTime();
        double cpuAtStart = JvmTimes.processCpuSeconds();
        double gcAtStart = JvmTimes.gcSeconds();
        HeapPeak.reset();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
            Map<String, ActorRef<LearnerProtocol.Command>> learners = new LinkedHashMap<>();
            for (PolicyRun p : policies.values()) {
                // Runs where the singleton starts: at the run's start, or on this node after a fail-over.
                // (Not lctx.getLog(): the actor's logger is named on first use and must stay the Learner's.)
                var learner = Behaviors.<LearnerProtocol.Command>setup(lctx -> {
                    p.start(org.slf4j.LoggerFactory.getLogger(ClusterTrainingRun.class));
                    return Learner.create(p.settings, p.agent, p);
                });
                learners.put(p.policyId, ClusterSingleton.get(ctx.getSystem()).init(
                        SingletonActor.of(learner, LearnerProxy.singletonName(p.policyId))
                                .withSettings(LearnerProxy.settings(ctx.getSystem()))
                                .withProps(DispatcherSelector.fromConfig(WorkerNode.COMPUTE_DISPATCHER))));
            }
            if (embedded()) ctx.spawn(WorkerNode.guardian(embeddedWorkers(), learners::get, end -> { }), "workers");
            return Behaviors.empty();
        }), NodeConfig.SYSTEM_NAME, node.akkaConfig());
        try {
            if (node.seedNodes().isEmpty()) {
                Cluster cluster = Cluster.get(system);
                cluster.manager().tell(Join.create(cluster.selfMember().address()));
            }
            CompletableFuture.allOf(policies.values().stream().map(p -> p.done).toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            awaitWorkerNodesLeaving(system, Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("training failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("training did not finish within " + timeout + "; "
                    + (embedded() ? "" : "are workers running and pointed at this coordinator's seed node? "), e);
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }
        if (policies.values().stream().anyMatch(p -> p.finishedElsewhere)) return null;
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = JvmTimes.processCpuSeconds() - cpuAtStart;
        double gc = JvmTimes.gcSeconds() - gcAtStart;
        long heapPeak = HeapPeak.bytes(); // before the evaluation
        return summarize(dir, policies, seconds, cpu, gc, heapPeak);
    }

    private List<WorkerNode.Assignment> embeddedWorkers() {
        List<WorkerNode.Assignment> list = new ArrayList<>();
        int index = 0;
        for (var e : plan.scenarios().entrySet()) {
            for (int w = 0; w < plan.workersPerScenario(); w++, index++) {
                long seed = plan.config().seed() * 1_000L + index;
                list.add(new WorkerNode.Assignment(new RolloutWorker.Spec("local/" + e.getKey() + "-" + w, e.getKey(),
                        e.getValue().factory(), plan.envsPerWorker(), seed, plan.maxInFlight(), Duration.ofSeconds(2),
                        Duration.ofSeconds(60)), plan.policyOf(e.getKey())));
            }
        }
        return list;
    }

    /** Gives remote worker nodes a moment to receive Stop and leave before this node goes away. */
    private static void awaitWorkerNodesLeaving(ActorSystem<Void> system, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        Cluster cluster = Cluster.get(system);
        while (System.nanoTime() < deadline) {
            boolean others = false;
            var unreachable = cluster.state().getUnreachable();
            for (var m : cluster.state().getMembers()) {
                // A dead node never leaves; only wait for the ones still talking to us. A standby
                // coordinator stays until this one leaves (then it finds the run finished).
                if (!m.address().equals(cluster.selfMember().address()) && !unreachable.contains(m)
                        && !m.hasRole(NodeConfig.COORDINATOR_ROLE)) others = true;
            }
            if (!others) return;
            Thread.sleep(200);
        }
    }

    private ClusterSummary summarize(RunDirectory dir, Map<String, PolicyRun> policies, double seconds, double cpu,
                                     double gc, long heapPeak) {
        Map<String, Object> scenarios = new LinkedHashMap<>();
        long seed = LocalTrainingRun.HELD_OUT_SEED_BASE + plan.config().seed() * 10_000L;
        // Scenarios are independent: evaluate them in parallel.
        plan.scenarios().entrySet().parallelStream().map(e -> {
            GrpoAgent agent = policies.get(plan.policyOf(e.getKey())).agent;
            var eval = e.getValue().detailedEvaluation();
            return eval == null ? Map.<String, Object>of()
                    : eval.evaluate(agent.net(), agent.normalizer(), plan.evalEpisodes(), seed);
        }).toList().forEach(scenarios::putAll);
        double meanReturn = scenarios.values().stream()
                .mapToDouble(v -> ((Number) ((Map<?, ?>) v).get("return_mean")).doubleValue()).average().orElse(Double.NaN);

        Map<String, ClusterSummary.PolicySummary> policySummaries = new LinkedHashMap<>();
        List<LearnerListener.ClusterStats> stats = new ArrayList<>();
        long envSteps = 0;
        for (PolicyRun p : policies.values()) {
            policySummaries.put(p.policyId, new ClusterSummary.PolicySummary(p.agent.learner().version(),
                    dir.root().relativize(p.finalCheckpoint).toString(), p.groupSummary()));
            stats.add(p.finalStats);
            envSteps += p.lastUpdate == null ? 0 : p.lastUpdate.envSteps();
        }
        GrpoConfig c = plan.config();
        return new ClusterSummary(dir.root().getFileName().toString(), embedded() ? "embedded" : "coordinator", "hospital",
                List.copyOf(plan.scenarios().keySet()), plan.layout().name().toLowerCase(java.util.Locale.ROOT),
                plan.grouping().name().toLowerCase(java.util.Locale.ROOT), c.seed(), c.groupRobustnessWeight(),
                c.robustMode().label(), plan.updates(), envSteps, seconds, envSteps / seconds, plan.evalEpisodes(),
                meanReturn, policySummaries, scenarios, ClusterSummary.Cluster.sum(stats),
                ClusterSummary.Timing.of(seconds, cpu, gc, heapPeak, stats));
    }

    /** One policy's learner state, metrics file and checkpoints, and its completion. */
    private final class PolicyRun implements LearnerListener {
        final String policyId;
        final GrpoAgent agent;
        final LearnerSettings settings;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final Path metricsFile;
        private final Path checkpointDir;
        private MetricsCsv metrics; // opened when the learner starts here
        private final CheckpointWriter checkpoints;
        volatile boolean finishedElsewhere;
        private final ProgressAggregator progress;
        volatile ClusterUpdate lastUpdate;
        volatile ClusterStats finalStats;
        volatile Path finalCheckpoint;

        PolicyRun(String runId, String policyId, RunDirectory dir, ProgressAggregator progress) throws IOException {
            this.policyId = policyId;
            this.progress = progress;
            List<String> scenarios = plan.scenariosOf(policyId);
            EnvironmentSpec first = plan.scenarios().get(scenarios.get(0));
            Environment probe = first.factory().create();
            List<String> groups = new ArrayList<>();
            if (plan.grouping() == Grouping.SCENARIO_DEMOGRAPHIC && scenarios.size() > 1) {
                for (String s : scenarios) for (String g : first.groupNames()) groups.add(s + "/" + g);
            } else {
                groups.addAll(first.groupNames());
            }
            this.agent = new GrpoAgent(probe.observationSize(), probe.actionCount(), groups, plan.config());
            this.settings = new LearnerSettings(runId, policyId, plan.config(), scenarios, groups,
                    first.groupNames().size(), probe.observationSize(), probe.actionCount(), plan.updates(),
                    plan.samplesPerUpdate(), plan.maxPolicyLag(), node.maxFrameBytes(), plan.minWorkers());
            boolean single = plan.policyIds().size() == 1;
            this.metricsFile = single ? dir.metrics() : dir.root().resolve("metrics-" + policyId + ".csv");
            this.checkpointDir = single ? dir.checkpoints() : Files.createDirectories(dir.checkpoints().resolve(policyId));
            this.checkpoints = new CheckpointWriter(agent, checkpointDir, plan.checkpointEveryUpdates(), 3);
        }

        /**
         * The learner singleton is starting on this node: continue from the newest valid
         * checkpoint if there is one (a fail-over; a damaged newer one is skipped with a warning),
         * and append to the metrics another coordinator may have begun.
         */
        void start(org.slf4j.Logger log) throws IOException {
            var found = io.grpo.core.checkpoint.Checkpoints.newestValid(checkpointDir);
            if (found.isPresent()) {
                var c = found.get().contents();
                if (c.observationSize() != agent.net().observationSize() || c.actionCount() != agent.net().actionCount()
                        || !c.hiddenSizes().equals(plan.config().hiddenSizes()) || !c.groupNames().equals(agent.groupNames())) {
                    throw new IOException(found.get().file() + " does not match this run's policy (shape or groups)");
                }
                agent.normalizer().restore(c.normalizer());
                agent.learner().restore(c.learner());
                log.warn("learner '{}' resumes from {} at version {}", policyId, found.get().file(),
                        c.learner().version());
            }
            if (metrics == null) metrics = MetricsCsv.appending(metricsFile, settings.groupNames());
        }

        @Override
        public void onFinishedElsewhere() {
            finishedElsewhere = true;
            done.complete(null);
        }

        @Override
        public void onUpdate(GrpoAgent agent, ClusterUpdate u) {
            lastUpdate = u;
            UpdateReport report = report(u);
            metrics.onUpdate(report);
            checkpoints.onUpdate(report);
            progress.onUpdate(policyId, report);
        }

        @Override
        public void onFinished(GrpoAgent agent, ClusterStats stats) {
            try {
                finalCheckpoint = checkpoints.save();
                if (metrics != null) metrics.close();
                finalStats = stats;
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }

        @Override
        public void onFailed(Throwable error) {
            try {
                if (metrics != null) metrics.close();
            } catch (IOException ignored) {
                // the run has failed already
            }
            done.completeExceptionally(error);
        }

        Map<String, TrainingSummary.GroupSummary> groupSummary() {
            Map<String, TrainingSummary.GroupSummary> out = new LinkedHashMap<>();
            if (lastUpdate == null) return out;
            var s = lastUpdate.stats();
            for (int g = 0; g < settings.groupNames().size(); g++) {
                double loss = s.groupLoss()[g];
                out.put(settings.groupNames().get(g), new TrainingSummary.GroupSummary(s.groupSamples()[g],
                        Double.isNaN(loss) ? null : loss, s.groupWeight()[g]));
            }
            return out;
        }

        private static UpdateReport report(ClusterUpdate u) {
            double[] means = u.returnsByScenario().values().stream().mapToDouble(Double::doubleValue)
                    .filter(d -> !Double.isNaN(d)).toArray();
            UpdateReport.ReturnStats r = UpdateReport.ReturnStats.of(means);
            return new UpdateReport(u.update(), u.envSteps(), u.seconds(), u.episodes(),
                    new UpdateReport.ReturnStats(r.count(), u.meanReturn(), r.std(), r.min(), r.max()), u.stats());
        }
    }

    /** Sums the policies' progress into one stream of reports for the console. */
    private static final class ProgressAggregator {
        private final TrainingListener progress;
        private final Map<String, UpdateReport> latest = new LinkedHashMap<>();

        ProgressAggregator(TrainingListener progress) {
            this.progress = progress;
        }

        synchronized void onUpdate(String policyId, UpdateReport r) {
            latest.put(policyId, r);
            if (latest.size() == 1) {
                progress.onUpdate(r);
                return;
            }
            long steps = 0, episodes = 0;
            int updates = 0;
            for (UpdateReport x : latest.values()) {
                steps += x.envSteps();
                episodes += x.episodes();
                updates += x.update();
            }
            progress.onUpdate(new UpdateReport(updates, steps, r.wallSeconds(), episodes, r.recentReturns(), r.stats()));
        }
    }
}
