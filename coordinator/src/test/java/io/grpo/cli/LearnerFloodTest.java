package io.grpo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many fast workers against one learner: 24 workers with one environment copy and 8-step
 * batches, no policy lag allowed. Every batch is acknowledged, the ones that arrive after an
 * update are dropped as stale and counted, the run completes, and the heap peak is reported.
 */
class LearnerFloodTest {
    private static final int SAMPLES_PER_BATCH = 8;

    @Test
    void floodOfSmallBatchesIsBoundedDroppedAndCounted(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        CliRunner cli = new CliRunner();
        int status = cli.grpo("train", "--out", out.toString(), "--scenarios", "urban,rural",
                "--workers-per-scenario", "12", "--envs-per-worker", "1", "--set", "rollout_steps=" + SAMPLES_PER_BATCH,
                "--set", "hidden_sizes=[16]", "--set", "minibatch_size=256", "--samples-per-update", "1024",
                "--max-policy-lag", "0", "--max-in-flight", "2", "--updates", "3", "--eval-episodes", "1", "-q");
        assertEquals(0, status, cli.err.toString());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        JsonNode c = s.path("cluster");
        assertEquals(3, c.path("policy_version").asInt(), c.toString());
        assertEquals(24, c.path("workers_seen").asInt(), c.toString());
        assertTrue(c.path("batches_dropped_stale").asLong() > 0, "a flood with no lag allowed drops stale batches: " + c);
        long received = c.path("batches_received").asLong();
        long used = c.path("samples_used").asLong() / SAMPLES_PER_BATCH;
        long accounted = used + c.path("batches_dropped_stale").asLong() + c.path("batches_rejected").asLong();
        // Every received batch was trained on, dropped or rejected, except what the last update left in the buffer
        // (less than one update's budget) and the 24 x 2 in-flight batches that arrived after the end.
        assertTrue(received >= accounted && received - accounted <= 1024 / SAMPLES_PER_BATCH + 24 * 2,
                "received " + received + ", accounted for " + accounted + ": " + c);
        JsonNode t = s.path("timing");
        assertTrue(t.path("heap_peak_bytes").asLong() > 0, t.toString());
        assertTrue(t.path("heap_max_bytes").asLong() <= 0
                || t.path("heap_peak_bytes").asLong() <= t.path("heap_max_bytes").asLong(), t.toString());
    }
}
