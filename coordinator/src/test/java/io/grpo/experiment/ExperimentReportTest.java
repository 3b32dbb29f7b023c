package io.grpo.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Report generation on a synthetic results file (a test fixture, never a result). */
class ExperimentReportTest {
    private static Path fixture(Path dir) throws IOException {
        try (InputStream in = ExperimentReportTest.class.getResourceAsStream(
                "/fixtures/experiment/synthetic-results-fixture.csv")) {
            Files.copy(in, dir.resolve("results.csv"));
        }
        return dir;
    }

    @Test
    void resultsFileRoundTrips(@TempDir Path tmp) throws IOException {
        List<ResultRow> rows = new ResultsCsv(fixture(tmp).resolve("results.csv")).read();
        assertEquals(20, rows.size());
        Path copy = tmp.resolve("copy.csv");
        ResultsCsv out = new ResultsCsv(copy);
        for (ResultRow r : rows) out.append(r);
        assertEquals(rows, out.read());
        assertEquals(List.of("pediatric", "adult", "elderly"), List.copyOf(rows.get(0).groups().keySet()));
    }

    @Test
    void statisticsTablesChartsAndReadingComeFromTheNumbers(@TempDir Path tmp) throws IOException {
        Path html = ExperimentReport.write(fixture(tmp), Map.of("updates", 10, "note", "synthetic fixture"));

        JsonNode stats = new ObjectMapper().readTree(tmp.resolve("stats.json").toFile());
        assertEquals(6, stats.get("comparisons").size());
        assertEquals(6, stats.get("family_size").asInt());
        for (JsonNode c : stats.get("comparisons")) {
            double holm = c.get("holm_p").asDouble();
            assertTrue(holm >= c.get("welch_p").asDouble(), "Holm never lowers a p-value");
            if (c.get("scenario").asText().equals("rural")) {
                assertTrue(holm > 0.05, "rural has no effect in the fixture: " + c);
            } else if (c.get("metric").asText().equals("worst_group_adverse_rate")) {
                assertEquals(0.0400 - 0.0610, c.get("difference").asDouble(), 1e-9);
                assertTrue(holm < 0.05, c.toString());
                assertEquals(-1.0, c.get("cliffs_delta").asDouble());
            }
        }

        String page = Files.readString(html);
        assertTrue(page.contains("1 of them significantly after Holm's correction"), "report.html lacks the expected text");
        assertTrue(page.contains("urban, max λ=1 vs PPO: mean return lower (180.2 vs 188.2, a significant worsening"), "report.html lacks the expected text");
        assertTrue(page.contains("worst group's adverse-event rate lower (0.0400 vs 0.0610, a significant improvement"), "report.html lacks the expected text");
        assertTrue(page.contains("rural, max λ=1 vs PPO: mean return"), "report.html lacks the expected text");
        assertFalse(page.contains("did not measurably reduce"), "urban does reduce harm in the fixture");
        assertTrue(page.contains("data:image/png;base64,"), "charts are embedded");
        assertTrue(Files.size(tmp.resolve("charts/frontier.png")) > 1000);
        assertTrue(Files.exists(tmp.resolve("charts/groups-adverse-urban.png")));
        assertFalse(Files.exists(tmp.resolve("charts/curves-urban.png")), "no run directories, so no learning curves");
    }

    @Test
    void withoutAnEffectTheReadingSaysSo(@TempDir Path tmp) throws IOException {
        Path dir = fixture(tmp);
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        Files.write(dir.resolve("results.csv"), lines.stream().filter(l -> !l.startsWith("urban")).toList());
        String page = Files.readString(ExperimentReport.write(dir, Map.of()));
        assertTrue(page.contains("group robustness did not measurably reduce the worst group's harm in any scenario"), "report.html lacks the expected text");
    }

    @Test
    void testsThatCannotRunAreNullInStatsJson(@TempDir Path tmp) throws IOException {
        Path dir = fixture(tmp);
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        // one seed per arm: no variance, so no t-test and no confidence interval
        Files.write(dir.resolve("results.csv"), lines.stream()
                .filter(l -> l.startsWith("scenario") || l.matches("urban,\\w+,\\d,1,.*")).toList());
        ExperimentReport.write(dir, Map.of());
        JsonNode c = new ObjectMapper().readTree(dir.resolve("stats.json").toFile()).get("comparisons").get(0);
        assertTrue(c.get("welch_p").isNull(), c.toString());
        assertTrue(c.get("treatment").get("ci_low").isNull(), c.toString());
        assertEquals(1.0, c.get("mann_whitney_p").asDouble(), 1e-12);
    }

    @Test
    void aFileThatIsNotAResultsFileIsAClearError(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("results.csv"), "a,b\n1,2\n");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> new ResultsCsv(tmp.resolve("results.csv")).read());
        assertTrue(e.getMessage().contains("missing columns"), e.getMessage());
    }
}
