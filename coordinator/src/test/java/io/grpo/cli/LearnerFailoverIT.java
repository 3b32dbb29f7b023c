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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.grpo.cli.LauncherProcesses.freePort;
import static io.grpo.cli.LauncherProcesses.log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real launcher: a coordinator, a standby coordinator sharing its run directory and two
 * worker JVMs. The coordinator hosting the learner is killed with SIGKILL mid-run; the learner
 * must resume on the standby from the newest checkpoint and the run must complete there.
 */
class LearnerFailoverIT {
    private static final int UPDATES = 40;
    private static final int CHECKPOINT_EVERY = 5;
    private static final int MAX_IN_FLIGHT = 2;
    private static final Pattern UPDATE = Pattern.compile("update (\\d+)/");

    @Test
    void learnerMovesToTheStandbyAfterKillMinus9AndTheRunCompletes(@TempDir Path tmp) throws Exception {
        int port = freePort();
        int standbyPort = freePort();
        Path run = tmp.resolve("run");
        List<String> fast = List.of("--heartbeat-interval", "500ms", "--heartbeat-pause", "2s", "--stable-after", "2s");
        List<String> train = new ArrayList<>(List.of("--scenarios", "urban", "--updates", "" + UPDATES,
                "--samples-per-update", "256", "--checkpoint-every", "" + CHECKPOINT_EVERY, "--eval-episodes", "2",
                "--max-in-flight", "" + MAX_IN_FLIGHT, "--set", "rollout_steps=32", "--set", "hidden_sizes=[16]",
                "--set", "minibatch_size=64", "--timeout", "6", "--out", run.toString()));
        train.addAll(fast);
        List<Process> all = new ArrayList<>();
        Path primaryLog = tmp.resolve("primary.log");
        Path standbyLog = tmp.resolve("standby.log");
        try {
            Process primary = LauncherProcesses.start(primaryLog, "512m", concat(List.of("coordinator", "--port", "" + port), train));
            all.add(primary);
            Process standby = LauncherProcesses.start(standbyLog, "512m", concat(List.of("coordinator", "--standby", "--port", "" + standbyPort,
                    "--seed-nodes", "127.0.0.1:" + port), train));
            all.add(standby);
            List<Process> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                workers.add(LauncherProcesses.start(tmp.resolve("worker-" + i + ".log"), "512m", concat(List.of("worker", "--scenario", "urban",
                        "--seed-nodes", "127.0.0.1:" + port + ",127.0.0.1:" + standbyPort, "--port", "0",
                        "--envs-per-worker", "2", "--max-in-flight", "" + MAX_IN_FLIGHT, "--ack-timeout", "5",
                        "--seed", "" + (i + 1)), fast)));
            }
            all.addAll(workers);

            // Kill the learner's host once it has checkpointed and gone on for a few updates.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            int killedAt = -1;
            while (System.nanoTime() < deadline && primary.isAlive()) {
                int u = newestUpdate(primaryLog);
                if (u >= CHECKPOINT_EVERY + 3) {
                    primary.destroyForcibly(); // SIGKILL: no leaving, no last checkpoint
                    killedAt = u;
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(killedAt > 0, "the learner reached update " + (CHECKPOINT_EVERY + 3) + log(primaryLog));
            assertTrue(killedAt < UPDATES, "killed mid-run" + log(primaryLog));

            assertTrue(standby.waitFor(4, TimeUnit.MINUTES), "standby finished the run" + log(standbyLog));
            assertEquals(0, standby.exitValue(), () -> log(standbyLog));
            for (Process w : workers) {
                assertTrue(w.waitFor(2, TimeUnit.MINUTES), "worker exited after the run");
                assertEquals(0, w.exitValue(), () -> log(tmp.resolve("worker-0.log")) + log(tmp.resolve("worker-1.log")));
            }
            String standbyText = Files.readString(standbyLog);
            assertTrue(standbyText.contains("resumes from"), "resumed from a checkpoint" + log(standbyLog));

            JsonNode c = new ObjectMapper().readTree(run.resolve("summary.json").toFile()).path("cluster");
            assertEquals(UPDATES, c.path("policy_version").asInt(), c.toPrettyString());
            int lost = c.path("updates_lost_to_failover").asInt();
            assertTrue(lost >= 0 && lost <= CHECKPOINT_EVERY, "at most one checkpoint interval lost: " + c);
            assertTrue(c.path("batches_lost_in_flight").asInt() <= 2 * MAX_IN_FLIGHT, c.toPrettyString());
            // Versions never went back past the checkpoint: the resumed learner started where it was saved.
            Matcher m = Pattern.compile("resumes from .* at version (\\d+)").matcher(standbyText);
            assertTrue(m.find());
            int resumedAt = Integer.parseInt(m.group(1));
            assertTrue(resumedAt >= killedAt - CHECKPOINT_EVERY && resumedAt <= killedAt + 1,
                    "resumed at " + resumedAt + ", killed at " + killedAt);
        } finally {
            all.forEach(Process::destroyForcibly);
        }
    }

    private static int newestUpdate(Path log) throws Exception {
        if (!Files.exists(log)) return -1;
        Matcher m = UPDATE.matcher(Files.readString(log));
        int newest = -1;
        while (m.find()) newest = Math.max(newest, Integer.parseInt(m.group(1)));
        return newest;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
