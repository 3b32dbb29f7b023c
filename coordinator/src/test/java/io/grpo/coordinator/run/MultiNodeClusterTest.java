package io.grpo.coordinator.run;

import com.typesafe.config.ConfigFactory;
import io.grpo.core.GrpoConfig;
import io.grpo.core.policy.HiddenActivation;
import io.grpo.core.train.TrainingListener;
import io.grpo.core.train.UpdateReport;
import io.grpo.node.NodeConfig;
import io.grpo.node.WorkerNode;
import io.grpo.node.worker.RolloutWorker;
import io.grpo.scenarios.EnvironmentCatalog;
import io.grpo.scenarios.EnvironmentSpec;
import io.grpo.scenarios.hospital.HospitalSimulator;
import io.grpo.scenarios.hospital.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real three-node cluster in one JVM: a coordinator and two worker nodes on loopback ports.
 * After a few updates one worker node dies without leaving; training finishes with the other.
 */
class MultiNodeClusterTest {
    private static final int UPDATES = 10;
    private static final int KILL_AFTER = 3;

    @Test
    void trainsAcrossNodesAndSurvivesAWorkerNodeDying(@TempDir Path tmp) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String seed = "akka://grpo@127.0.0.1:" + port;
        GrpoConfig config = EnvironmentCatalog.hospitalDefaults().toBuilder().hiddenSizes(List.of(16))
                .activation(HiddenActivation.RELU).rolloutSteps(16).minibatchSize(32).updateEpochs(1).seed(5).build();
        Map<String, EnvironmentSpec> scenarios = new LinkedHashMap<>();
        scenarios.put("urban", EnvironmentCatalog.hospital(ScenarioLoader.preset("urban")));
        scenarios.put("rural", EnvironmentCatalog.hospital(ScenarioLoader.preset("rural")));
        ClusterTrainingRun.Plan plan = new ClusterTrainingRun.Plan(scenarios, ClusterTrainingRun.PolicyLayout.SHARED,
                ClusterTrainingRun.Grouping.DEMOGRAPHIC, config, UPDATES, 64, 2, 0, 2, 2, 2, 0);
        NodeConfig coordinator = new NodeConfig("127.0.0.1", port, null, List.of(), List.of(NodeConfig.COORDINATOR_ROLE),
                NodeConfig.DEFAULT_MAX_FRAME_BYTES);

        // The survivor joins only after the victim has contributed an update, so both have
        // registered whatever the machine's speed: once the victim is gone the run cannot go on
        // without the survivor (a learner this fast could otherwise finish with one worker).
        WorkerNode.Handle victim = worker("rural", seed, false);
        CompletableFuture<WorkerNode.Handle> survivorStarted = new CompletableFuture<>();
        AtomicInteger updates = new AtomicInteger();
        CompletableFuture<Void> killed = new CompletableFuture<>();
        TrainingListener killer = new TrainingListener() {
            @Override
            public void onUpdate(UpdateReport r) {
                int n = updates.incrementAndGet();
                if (n == 1) {
                    CompletableFuture.runAsync(() -> survivorStarted.complete(worker("urban", seed, true)));
                }
                if (n == KILL_AFTER) {
                    victim.system().terminate(); // no leave, no goodbye: the node just vanishes
                    killed.complete(null);
                }
            }
        };
        RunDirectory dir = RunDirectory.create(tmp.resolve("run"));
        ClusterSummary summary = new ClusterTrainingRun(plan, coordinator).run(dir, killer, Duration.ofMinutes(4));

        assertTrue(killed.isDone(), "a worker node was killed mid-run");
        assertEquals(UPDATES, updates.get(), "training went on to the last update");
        assertEquals(UPDATES, summary.cluster().policyVersion());
        assertEquals(2, summary.cluster().workersSeen());
        assertEquals(3, summary.cluster().nodesSeen());
        assertEquals("coordinator", summary.mode());
        assertTrue(summary.cluster().samplesUsed() >= (long) UPDATES * 64);
        assertTrue(Files.exists(dir.metrics()));
        assertEquals(UPDATES + 1, Files.readAllLines(dir.metrics()).size(), "header + one row per update");
        // The surviving worker node was told the run is over and shut itself down.
        WorkerNode.Handle survivor = survivorStarted.get(60, TimeUnit.SECONDS);
        survivor.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertTrue(survivor.finished().get());
        victim.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static WorkerNode.Handle worker(String scenario, String seed, boolean graceful) {
        NodeConfig node = new NodeConfig("127.0.0.1", 0, null, List.of(seed), List.of(NodeConfig.WORKER_ROLE),
                NodeConfig.DEFAULT_MAX_FRAME_BYTES);
        var config = graceful ? node.akkaConfig() : ConfigFactory.parseString("""
                akka.coordinated-shutdown.run-by-actor-system-terminate = off
                akka.cluster.run-coordinated-shutdown-when-down = off
                """).withFallback(node.akkaConfig());
        var sc = ScenarioLoader.preset(scenario);
        var spec = new RolloutWorker.Spec(scenario + "-node/0", scenario, () -> new HospitalSimulator(sc), 2, 17, 2,
                Duration.ofMillis(500), Duration.ofSeconds(30));
        return WorkerNode.start(config, List.of(new WorkerNode.Assignment(spec, "shared")));
    }
}
