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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {
    private final CliRunner cli = new CliRunner();
    private final java.io.StringWriter err = cli.err;
    private final java.io.StringWriter out = cli.out;

    private int grpo(String... args) {
        return cli.grpo(args);
    }

    private int smallRun(Path dir, long seed, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--env", "cartpole", "--seed", Long.toString(seed),
                "--max-env-steps", "1536", "--eval-every", "0", "--eval-episodes", "5", "--quiet",
                "--set", "update_epochs=4", "--out", dir.toString()));
        args.addAll(List.of(extra));
        return grpo(args.toArray(String[]::new));
    }

    /** metrics.csv without the wall-clock column, which is the only thing allowed to differ. */
    private static List<String> metricsWithoutWallClock(Path dir) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.csv"))) {
            String[] cells = line.split(",", -1);
            cells[2] = "";
            rows.add(String.join(",", cells));
        }
        return rows;
    }

    @Test
    void sameSeedWritesIdenticalMetrics(@TempDir Path tmp) throws IOException {
        assertEquals(0, smallRun(tmp.resolve("a"), 7), err.toString());
        assertEquals(0, smallRun(tmp.resolve("b"), 7), err.toString());
        assertEquals(0, smallRun(tmp.resolve("c"), 8), err.toString());
        List<String> a = metricsWithoutWallClock(tmp.resolve("a"));
        assertEquals(1 + 6, a.size(), "header + one row per update");
        assertEquals(a, metricsWithoutWallClock(tmp.resolve("b")));
        assertNotEquals(a, metricsWithoutWallClock(tmp.resolve("c")));
    }

    @Test
    void writesTheRunDirectoryContract(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        assertEquals(0, smallRun(dir, 3, "--robustness", "0.5", "--robust-mode", "dro"), err.toString());
        assertTrue(Files.exists(dir.resolve("config.json")));
        assertTrue(Files.exists(dir.resolve("checkpoints")));
        JsonNode s = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        for (String key : List.of("env", "seed", "robustness_weight", "robust_mode", "env_steps", "updates",
                "wall_seconds", "env_steps_per_second", "eval_episodes", "eval_return_mean", "eval_return_std",
                "solved_at_env_steps", "groups")) {
            assertTrue(s.has(key), "summary.json lacks " + key);
        }
        assertEquals("cartpole", s.get("env").asText());
        assertEquals(0.5, s.get("robustness_weight").asDouble());
        assertEquals("dro", s.get("robust_mode").asText());
        assertEquals(1536, s.get("env_steps").asLong());
        assertEquals(6, s.get("updates").asLong());
        assertEquals(5, s.get("eval_episodes").asInt());
        assertTrue(s.get("solved_at_env_steps").isNull());
        JsonNode groups = s.get("groups");
        for (String g : List.of("left", "center", "right")) {
            assertTrue(groups.has(g), g);
            assertTrue(groups.get(g).has("samples") && groups.get(g).has("loss") && groups.get(g).has("weight"));
        }
        assertTrue(Files.exists(dir.resolve(s.get("checkpoint").asText())));
        assertTrue(Files.exists(dir.resolve("checkpoints/best.ckpt")), "the best-evaluated policy is kept");
        String header = Files.readAllLines(dir.resolve("metrics.csv")).get(0);
        for (String col : List.of("env_steps", "wall_seconds", "return_mean", "policy_loss", "value_loss", "entropy",
                "approx_kl", "clip_fraction", "group_left_loss", "group_left_weight")) {
            assertTrue(header.contains(col), "metrics.csv lacks " + col);
        }
        assertTrue(out.toString().contains("run directory"));
    }

    @Test
    void badFlagsExitWithStatusTwoAndNameTheFlag(@TempDir Path tmp) {
        Path dir = tmp.resolve("never");
        String[][] cases = {
                {"--robustness", "1.5"}, {"--robust-mode", "worst"}, {"--env", "atari"}, {"--max-env-steps", "0"},
                {"--eval-episodes", "0"}, {"--seed", "abc"}, {"--set", "no_such_key=1"}, {"--set", "num_envs=0"},
                {"--frobnicate"}};
        String[] names = {"--robustness", "--robust-mode", "--env", "--max-env-steps", "--eval-episodes", "--seed",
                "no_such_key", "num_envs", "--frobnicate"};
        for (int i = 0; i < cases.length; i++) {
            err.getBuffer().setLength(0);
            List<String> args = new ArrayList<>(List.of("train", "--out", dir.toString()));
            args.addAll(List.of(cases[i]));
            assertEquals(2, grpo(args.toArray(String[]::new)), String.join(" ", cases[i]));
            assertTrue(err.toString().contains(names[i]), "message should name " + names[i] + ": " + err);
            assertFalse(Files.exists(dir), "nothing is created on bad input");
        }
    }

    @Test
    void refusesToOverwriteAnExistingRun(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), "{\"precious\": true}");
        assertEquals(2, smallRun(dir, 1));
        assertTrue(err.toString().contains("already holds a run"), err.toString());
        assertEquals("{\"precious\": true}", Files.readString(dir.resolve("summary.json")));
    }

    @Test
    void helpAndVersionWork() {
        assertEquals(0, grpo("--help"));
        assertEquals(0, grpo("train", "--help"));
        assertTrue(out.toString().contains("--robust-mode"));
        assertEquals(0, grpo("--version"));
        assertEquals(2, grpo());
    }
}
