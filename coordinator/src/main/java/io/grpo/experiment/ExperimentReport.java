package io.grpo.experiment;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
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

    /** NaN (a test that cannot run, e.g. one seed) is written as null, which JSON readers understand. */
    private static final ObjectMapper STATS_JSON = Json.MAPPER.copy().registerModule(new SimpleModule()
            .addSerializer(Double.class, new NanAsNull()).addSerializer(double.class, new NanAsNull()));

    private static final class NanAsNull extends StdSerializer<Double> {
        NanAsNull() {
            super(Double.class);
        }

        @Override
        public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
            if (v == null || v.isNaN() || v.isInfinite()) g.writeNull();
            else g.writeNumber(v);
        }
    }

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
        STATS_JSON.writerWithDefaultPrettyPrinter().writeValue(root.resolve("stats.json").toFile(), stats);
        Path html = root.resolve("report.html");
        Files.writeString(html, ExperimentHtml.render(config, rows, comparisons, Charts.experiment(root, rows),
                WeightDiagnosis.lines(root, rows)));
        return html;
    }
}
