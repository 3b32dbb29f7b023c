package io.grpo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HospitalCommandsTest {
    private final CliRunner cli = new CliRunner();
    private final java.io.StringWriter err = cli.err;
    private final java.io.StringWriter out = cli.out;

    private int grpo(String... args) {
        return cli.grpo(args);
    }

    private static void assertScenarioBlock(JsonNode block) {
        assertTrue(block.has("return_mean") && block.has("return_std"), block.toString());
        for (String g : List.of("pediatric", "adult", "elderly")) {
            JsonNode group = block.get("groups").get(g);
            for (String k : List.of("arrivals", "treated_rate", "mean_wait", "p90_wait", "left_unseen_rate", "adverse_rate")) {
                assertTrue(group.has(k), g + " lacks " + k);
            }
        }
        for (String k : List.of("worst_group", "worst_group_adverse_rate", "adverse_rate_gap", "p90_wait_gap",
                "jain_treated_rate", "gini_mean_wait")) {
            assertTrue(block.get("fairness").has(k), "fairness lacks " + k);
        }
    }

    @Test
    void evalOfABaselineWritesTheScenarioBlock(@TempDir Path tmp) throws IOException {
        assertEquals(0, grpo("eval", "--scenario", "rural", "--policy", "fifo", "--episodes", "3", "--out", tmp.toString()),
                err.toString());
        JsonNode s = new ObjectMapper().readTree(tmp.resolve("summary.json").toFile());
        assertEquals("fifo", s.get("policy").asText());
        assertScenarioBlock(s.get("scenarios").get("rural"));
    }

    @Test
    void trainOnAHospitalWritesTheScenarioBlockAndItsCheckpointEvaluates(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, grpo("train", "--scenario", "pediatric", "--max-env-steps", "2048", "--eval-episodes", "2",
                "--set", "num_envs=4", "--set", "rollout_steps=256", "--quiet", "--out", run.toString()), err.toString());
        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals("hospital/pediatric", s.get("env").asText());
        assertEquals(2, s.get("updates").asInt());
        assertTrue(s.get("solved_at_env_steps").isNull());
        assertScenarioBlock(s.get("scenarios").get("pediatric"));
        assertEquals(2, s.get("scenarios").get("pediatric").get("episodes").asInt());

        Path checkpoint = run.resolve(s.get("checkpoint").asText());
        out.getBuffer().setLength(0);
        assertEquals(0, grpo("eval", "--scenario", "pediatric", "--policy", checkpoint.toString(), "--episodes", "2"),
                err.toString());
        assertScenarioBlock(new ObjectMapper().readTree(out.toString()).get("scenarios").get("pediatric"));
        assertEquals(2, grpo("eval", "--env", "cartpole", "--policy", checkpoint.toString()), "wrong environment");
        assertTrue(err.toString().contains("observations"), err.toString());
    }

    @Test
    void userScenarioFilesAreValidatedWithTheKeyAndFileNamed(@TempDir Path tmp) throws IOException {
        Path good = tmp.resolve("small.conf");
        Files.writeString(good, "base = rural\nname = \"small\"\ncapacity { beds = 4 }\n");
        assertEquals(0, grpo("eval", "--scenario-file", good.toString(), "--policy", "triage", "--episodes", "2"), err.toString());
        assertTrue(out.toString().contains("\"small\""));

        Path bad = tmp.resolve("bad.conf");
        Files.writeString(bad, "base = urban\ncapacity { beds = 0, sofas = 3 }\n");
        Path never = tmp.resolve("never");
        assertEquals(2, grpo("train", "--scenario-file", bad.toString(), "--out", never.toString()));
        assertTrue(err.toString().contains("bad.conf") && err.toString().contains("capacity.beds"), err.toString());
        assertTrue(err.toString().contains("capacity.sofas"), err.toString());
        assertFalse(Files.exists(never));
    }

    @Test
    void badHospitalFlagsExitWithStatusTwo() {
        assertEquals(2, grpo("eval", "--scenario", "moon", "--policy", "fifo"));
        assertTrue(err.toString().contains("moon"), err.toString());
        assertEquals(2, grpo("eval", "--scenario", "urban", "--policy", "psychic"));
        assertTrue(err.toString().contains("psychic"), err.toString());
        assertEquals(2, grpo("eval", "--env", "cartpole", "--policy", "fifo"));
        assertEquals(2, grpo("train", "--env", "cartpole", "--scenario", "urban"));
        assertEquals(2, grpo("eval", "--scenario", "urban", "--policy", "fifo", "--episodes", "0"));
    }
}
