package io.grpo.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpo.coordinator.run.Json;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.grpo.experiment.Html.esc;
import static io.grpo.experiment.Html.num;
import static io.grpo.experiment.Html.row;

/**
 * report.html of one training run, from its own files (summary.json, metrics*.csv): learning
 * curve, group weights of the robust term and the held-out fairness block. Charts are embedded.
 */
public final class RunReport {
    private static final Logger log = LoggerFactory.getLogger(RunReport.class);

    private RunReport() {}

    /** Writes report.html; a report that cannot be made is logged, never fails the run that made the data. */
    public static void writeQuietly(Path runDir) {
        try {
            write(runDir);
        } catch (IOException | RuntimeException e) {
            log.warn("could not write {}: {}", runDir.resolve("report.html"), e.toString());
        }
    }

    public static Path write(Path runDir) throws IOException {
        JsonNode summary = Json.MAPPER.readTree(runDir.resolve("summary.json").toFile());
        Path charts = runDir.resolve("charts");
        Files.createDirectories(charts);
        List<Charts.Png> pngs = new ArrayList<>();
        for (Path metrics : metricsFiles(runDir)) {
            String name = metrics.getFileName().toString().replace(".csv", "");
            MetricsTable t = MetricsTable.read(metrics);
            if (t.size() == 0) continue;
            XYChart curve = curve(t);
            if (!curve.getSeriesMap().isEmpty()) pngs.add(Charts.save(charts, name + "-curve", "Learning curve (" + name + ")", curve,
                    "Training return per update (mean of recently finished training episodes) and greedy validation "
                            + "evaluations where the run made them."));
            XYChart weights = weights(t);
            if (!weights.getSeriesMap().isEmpty()) {
                pngs.add(Charts.save(charts, name + "-weights", "Group weights q_g (" + name + ")", weights,
                        "Weight of each group in the robust term per update, trailing mean over 10 updates."));
            }
        }
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(summary.path("run_name").asText())).append("</title>").append(Html.STYLE)
                .append("</head><body>\n<h1>Training run ").append(esc(summary.path("run_name").asText())).append("</h1>\n");
        b.append("<table>");
        for (String k : List.of("env", "mode", "scenario_names", "policy_layout", "grouping", "seed", "robustness_weight",
                "robust_mode", "env_steps", "updates", "wall_seconds", "env_steps_per_second", "eval_episodes",
                "eval_return_mean", "eval_return_std", "solved_at_env_steps")) {
            if (summary.has(k) && !summary.get(k).isNull()) {
                JsonNode v = summary.get(k);
                String s = v.isFloatingPointNumber() ? num(v.asDouble(), 3) : v.isArray() ? v.toString() : v.asText();
                b.append(row(List.of(esc(k), "<l>" + esc(s)), false));
            }
        }
        b.append("</table>\n");
        JsonNode scenarios = summary.path("scenarios");
        if (scenarios.isObject()) {
            b.append("<h2>Held-out evaluation</h2>\n");
            for (Iterator<Map.Entry<String, JsonNode>> it = scenarios.fields(); it.hasNext(); ) {
                var e = it.next();
                fairnessBlock(b, e.getKey(), e.getValue());
            }
        }
        b.append("<h2>Charts</h2>\n");
        for (Charts.Png p : pngs) b.append(Html.figure(p));
        b.append("</body></html>\n");
        Path html = runDir.resolve("report.html");
        Files.writeString(html, b.toString());
        return html;
    }

    private static void fairnessBlock(StringBuilder b, String scenario, JsonNode block) {
        b.append("<h3>").append(esc(scenario)).append("</h3>\n<p>Return ").append(num(block.path("return_mean").asDouble(), 1))
                .append(" ± ").append(num(block.path("return_std").asDouble(), 1)).append(" (SD) over ")
                .append(block.path("episodes").asInt()).append(" episodes.</p>\n<table>");
        List<String> fields = List.of("arrivals", "treated_rate", "mean_wait", "p90_wait", "left_unseen_rate", "adverse_rate");
        List<String> head = new ArrayList<>(List.of("group"));
        head.addAll(fields);
        b.append(row(head, true));
        for (Iterator<Map.Entry<String, JsonNode>> it = block.path("groups").fields(); it.hasNext(); ) {
            var g = it.next();
            List<String> cells = new ArrayList<>(List.of(esc(g.getKey())));
            for (String f : fields) {
                JsonNode v = g.getValue().path(f);
                cells.add(v.isNull() || v.isMissingNode() ? "–" : f.equals("arrivals") ? v.asText()
                        : num(v.asDouble(), f.endsWith("wait") ? 1 : 4));
            }
            b.append(row(cells, false));
        }
        b.append("</table>\n<table>");
        for (Iterator<Map.Entry<String, JsonNode>> it = block.path("fairness").fields(); it.hasNext(); ) {
            var f = it.next();
            JsonNode v = f.getValue();
            b.append(row(List.of(esc(f.getKey()), v.isNumber() ? num(v.asDouble(), 4) : "<l>" + esc(v.asText())), false));
        }
        b.append("</table>\n");
    }

    private static List<Path> metricsFiles(Path runDir) throws IOException {
        try (Stream<Path> s = Files.list(runDir)) {
            return s.filter(p -> p.getFileName().toString().matches("metrics(-.+)?\\.csv")).sorted().toList();
        }
    }

    private static XYChart curve(MetricsTable t) {
        XYChart c = Charts.xy("Learning curve", "env steps", "return");
        addFinite(c, "training return", t.column("env_steps"), t.column("return_mean"), false);
        if (t.has("eval_return_mean")) addFinite(c, "greedy evaluation", t.column("env_steps"), t.column("eval_return_mean"), true);
        return c;
    }

    private static XYChart weights(MetricsTable t) {
        XYChart c = Charts.xy("Group weights q_g", "env steps", "weight in the robust term");
        for (String g : t.groups()) {
            addFinite(c, g, t.column("env_steps"), Charts.movingAverage(t.column("group_" + g + "_weight"), 10), false);
        }
        return c;
    }

    private static void addFinite(XYChart c, String name, double[] x, double[] y, boolean markers) {
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        if (xs.isEmpty()) return;
        XYSeries s = c.addSeries(name, xs, ys);
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        if (markers) s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    }
}
