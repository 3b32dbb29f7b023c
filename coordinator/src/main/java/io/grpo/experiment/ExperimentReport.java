package io.grpo.experiment;

import io.grpo.coordinator.run.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** stats.json, charts/ and report.html of an experiment directory, all from its results.csv. */
public final class ExperimentReport {
    private ExperimentReport() {}

    /** Writes the outputs and returns the path of report.html. */
    public static Path write(Path root, Map<String, Object> config) throws IOException {
        List<ResultRow> rows = new ResultsCsv(root.resolve("results.csv")).read();
        if (rows.isEmpty()) throw new IOException(root.resolve("results.csv") + " holds no finished cells");
        List<Comparison> comparisons = ExperimentStatistics.compare(rows);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("alpha", ExperimentStatistics.ALPHA);
        stats.put("correction", "holm (on the Welch p-values, across all comparisons)");
        stats.put("family_size", comparisons.stream().filter(c -> !Double.isNaN(c.welchP())).count());
        stats.put("comparisons", comparisons);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(root.resolve("stats.json").toFile(), stats);
        Path html = root.resolve("report.html");
        Files.writeString(html, ExperimentHtml.render(config, rows, comparisons, Charts.experiment(root, rows),
                WeightDiagnosis.lines(root, rows)));
        return html;
    }
}
