package io.grpo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code grpo train} as an embedded one-node cluster: layouts, groupings, the summary's blocks, bad input. */
class ClusterTrainCommandTest {
    private static final List<String> TINY = List.of("--scenarios", "urban,rural", "--updates", "2",
            "--envs-per-worker", "2", "--set", "rollout_steps=16", "--set", "hidden_sizes=[16]",
            "--set", "minibatch_size=32", "--eval-episodes", "1", "-q");

    private static JsonNode train(Path out, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
        args.addAll(TINY);
        args.addAll(List.of(extra));
        CliRunner cli = new CliRunner();
        assertEquals(0, cli.grpo(args.toArray(String[]::new)), cli.err.toString());
        assertTrue(cli.out.toString().contains("urban") && cli.out.toString().contains("greedy return"), cli.out.toString());
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    }

    @Test
    void sharedPolicyWritesScenarioAndClusterBlocks(@TempDir Path tmp) throws IOException {
        JsonNode s = train(tmp.resolve("run"));
        assertEquals("embedded", s.path("mode").asText());
        JsonNode cluster = s.path("cluster");
        for (String key : List.of("nodes_seen", "workers_seen", "batches_received", "batches_dropped_stale",
                "samples_used", "policy_version", "max_policy_lag_used")) {
            assertTrue(cluster.has(key), key);
        }
        assertEquals(2, cluster.path("workers_seen").asInt());
        assertEquals(1, cluster.path("nodes_seen").asInt());
        assertEquals(2, cluster.path("policy_version").asInt());
        for (String sc : List.of("urban", "rural")) {
            JsonNode block = s.path("scenarios").path(sc);
            assertTrue(block.has("return_mean") && block.path("fairness").has("worst_group"), block.toString());
            assertEquals(3, block.path("groups").size());
        }
        assertEquals(List.of("pediatric", "adult", "elderly"), names(s.path("policies").path("shared").path("groups")));
        assertEquals(3, Files.readAllLines(tmp.resolve("run/metrics.csv")).size(), "header + 2 updates");
        JsonNode config = new ObjectMapper().readTree(tmp.resolve("run/config.json").toFile());
        assertEquals(2, config.path("envs_per_worker").asInt());
    }

    @Test
    void scenarioTimesDemographicGroupsAreSelectable(@TempDir Path tmp) throws IOException {
        JsonNode s = train(tmp.resolve("run"), "--grouping", "scenario");
        assertEquals(List.of("urban/pediatric", "urban/adult", "urban/elderly", "rural/pediatric", "rural/adult",
                "rural/elderly"), names(s.path("policies").path("shared").path("groups")));
    }

    @Test
    void perScenarioPoliciesAreIndependentLearners(@TempDir Path tmp) throws IOException {
        JsonNode s = train(tmp.resolve("run"), "--policy-layout", "per-scenario");
        assertEquals(List.of("urban", "rural"), names(s.path("policies")));
        assertTrue(Files.exists(tmp.resolve("run/metrics-urban.csv")));
        assertTrue(Files.exists(tmp.resolve("run/metrics-rural.csv")));
        assertTrue(Files.isDirectory(tmp.resolve("run/checkpoints/urban")));
        assertEquals(2, s.path("policies").path("rural").path("policy_version").asInt());
    }

    @Test
    void badClusterInputIsAUsageErrorAndCreatesNothing(@TempDir Path tmp) {
        Path out = tmp.resolve("never");
        String[][] bad = {
                {"train", "--scenarios", "urban,mars", "--out", out.toString()},
                {"train", "--scenarios", "urban,urban", "--out", out.toString()},
                {"train", "--policy-layout", "pyramid", "--out", out.toString()},
                {"train", "--updates", "0", "--out", out.toString()},
                {"train", "--scenario", "urban", "--workers-per-scenario", "2", "--out", out.toString()},
                {"train", "--eval-every", "5", "--out", out.toString()},
                {"train", "--envs-per-worker", "100000", "--updates", "1", "--out", out.toString()},
                {"worker", "--scenario", "urban"},
                {"worker", "--scenario", "mars", "--seed-nodes", "127.0.0.1:2552"},
                {"coordinator", "--seed-nodes", "nohost", "--out", out.toString()},
        };
        for (String[] args : bad) {
            CliRunner cli = new CliRunner();
            assertEquals(2, cli.grpo(args), String.join(" ", args) + "\n" + cli.err);
            assertTrue(cli.err.toString().startsWith("grpo: "), cli.err.toString());
        }
        assertFalse(Files.exists(out.resolve("summary.json")));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
