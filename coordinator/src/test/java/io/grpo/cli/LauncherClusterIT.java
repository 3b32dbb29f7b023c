package io.grpo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.grpo.cli.LauncherProcesses.freePort;
import static io.grpo.cli.LauncherProcesses.log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real launcher: a coordinator JVM and two worker JVMs on loopback complete a run. */
class LauncherClusterIT {

    @Test
    void coordinatorAndTwoWorkerProcessesCompleteARun(@TempDir Path tmp) throws Exception {
        int port = freePort();
        Path run = tmp.resolve("run");
        List<Process> workers = new ArrayList<>();
        Process coordinator = LauncherProcesses.start(tmp.resolve("coordinator.log"), "768m", List.of("coordinator",
                "--port", "" + port, "--scenarios", "urban,rural", "--updates", "4", "--samples-per-update", "256", "--eval-episodes", "2",
                "--set", "rollout_steps=32", "--set", "hidden_sizes=[16]", "--set", "minibatch_size=64",
                "--min-workers", "2", "--timeout", "5", "--out", run.toString()));
        try {
            for (String scenario : List.of("urban", "rural")) {
                workers.add(LauncherProcesses.start(tmp.resolve(scenario + ".log"), "768m", List.of("worker",
                        "--scenario", scenario, "--seed-nodes", "127.0.0.1:" + port, "--port", "0", "--envs-per-worker", "2")));
            }
            assertTrue(coordinator.waitFor(5, TimeUnit.MINUTES), "coordinator finished");
            assertEquals(0, coordinator.exitValue(), () -> log(tmp.resolve("coordinator.log")));
            for (Process w : workers) {
                assertTrue(w.waitFor(2, TimeUnit.MINUTES), "worker exited after the run");
                assertEquals(0, w.exitValue(), () -> log(tmp.resolve("urban.log")) + log(tmp.resolve("rural.log")));
            }
        } finally {
            coordinator.destroyForcibly();
            workers.forEach(Process::destroyForcibly);
        }
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertTrue(summary.path("cluster").path("workers_seen").asInt() >= 2, summary.toPrettyString());
        assertEquals(3, summary.path("cluster").path("nodes_seen").asInt());
        assertEquals(4, summary.path("cluster").path("policy_version").asInt());
        assertTrue(summary.path("scenarios").has("urban") && summary.path("scenarios").has("rural"));
        assertEquals(5, Files.readAllLines(run.resolve("metrics.csv")).size(), "header + 4 updates");
    }

}
