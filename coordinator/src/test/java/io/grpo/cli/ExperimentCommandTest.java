package io.grpo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentCommandTest {
    private final CliRunner cli = new CliRunner();

    private static long rows(Path results) throws IOException {
        return Files.readAllLines(results).size() - 1;
    }

    @Test
    void aResumedGridSkipsFinishedCellsAndRerunsAnInterruptedOne(@TempDir Path tmp) throws IOException {
        String[] tiny = {"experiment", "--scenarios", "urban", "--lambdas", "0,1", "--robust-mode", "max",
                "--updates", "1", "--eval-episodes", "2", "--out", tmp.toString()};
        assertEquals(0, cli.grpo(concat(tiny, "--seeds", "1")), cli.err.toString());
        assertEquals(2, rows(tmp.resolve("results.csv")));
        assertTrue(Files.exists(tmp.resolve("report.html")));
        assertTrue(Files.exists(tmp.resolve("stats.json")));
        String runReport = Files.readString(tmp.resolve("cells/urban-ppo-l0-s1/report.html"));
        assertTrue(runReport.contains("Held-out evaluation") && runReport.contains("worst_group_adverse_rate"),
                "every training run writes its own report");
        Path finished = tmp.resolve("cells/urban-ppo-l0-s1/metrics.csv");
        FileTime before = Files.getLastModifiedTime(finished);
        // what a killed run leaves behind: a cell folder without a result row
        Path interrupted = tmp.resolve("cells/urban-ppo-l0-s2");
        Files.createDirectories(interrupted);
        Files.writeString(interrupted.resolve("metrics.csv"), "update\n1\n");

        assertEquals(0, cli.grpo(concat(tiny, "--seeds", "2")), cli.err.toString());
        String log = cli.err.toString();
        assertTrue(log.contains("4 cells, 2 already finished, 2 to run"), log);
        assertTrue(log.contains("clearing unfinished"), log);
        assertEquals(4, rows(tmp.resolve("results.csv")));
        assertEquals(before, Files.getLastModifiedTime(finished), "a finished cell is not retrained");
        assertTrue(Files.exists(interrupted.resolve("summary.json")), "the interrupted cell ran again");

        assertEquals(0, cli.grpo(concat(tiny, "--seeds", "2")));
        assertTrue(cli.err.toString().contains("4 cells, 4 already finished, 0 to run"));
        assertEquals(4, rows(tmp.resolve("results.csv")));
    }

    @Test
    void theEmbeddedRunnerTrainsACellOnAOneNodeCluster(@TempDir Path tmp) throws IOException {
        assertEquals(0, cli.grpo("experiment", "--runner", "embedded", "--scenarios", "rural", "--lambdas", "0.5",
                "--robust-mode", "dro", "--seeds", "1", "--updates", "1", "--eval-episodes", "2", "--out", tmp.toString()),
                cli.err.toString());
        List<String> lines = Files.readAllLines(tmp.resolve("results.csv"));
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith("rural,dro,0.5,1,1,"), lines.get(1));
        assertTrue(Files.readString(tmp.resolve("cells/rural-dro-l0.5-s1/report.html")).contains("Held-out evaluation"));
    }

    @Test
    void resumingWithOtherTrainingSettingsIsRefused(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("experiment.json"), "{\"updates\": 5, \"eval_episodes\": 100, \"runner\": \"single\"}");
        assertEquals(2, cli.grpo("experiment", "--updates", "7", "--out", tmp.toString()));
        assertTrue(cli.err.toString().contains("updates 5, not 7"), cli.err.toString());
    }

    @Test
    void badInputIsAUsageError(@TempDir Path tmp) {
        assertEquals(2, cli.grpo("experiment", "--lambdas", "0,1.5", "--out", tmp.toString()));
        assertTrue(cli.err.toString().contains("--lambdas"), cli.err.toString());
        assertEquals(2, cli.grpo("experiment", "--runner", "cloud", "--out", tmp.toString()));
        assertTrue(cli.err.toString().contains("--runner"));
        assertEquals(2, cli.grpo("experiment", "--robust-mode", "avg", "--out", tmp.toString()));
        assertEquals(2, cli.grpo("experiment", "--scenarios", "mars", "--out", tmp.toString()));
        assertEquals(2, cli.grpo("experiment", "--report-only"));
        assertEquals(2, cli.grpo("experiment", "--report-only", "--out", tmp.toString()));
        assertTrue(cli.err.toString().contains("no results.csv"));
        assertFalse(Files.exists(tmp.resolve("results.csv")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
