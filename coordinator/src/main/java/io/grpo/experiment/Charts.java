package io.grpo.experiment;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The experiment's charts as PNG (XChart, headless): learning curves with seed spread, per-group
 * outcome bars per lambda, the fairness-return frontier and the robust term's group weights.
 * Each is written under {@code charts/} and returned for embedding in the report.
 */
public final class Charts {
    /** One rendered chart. */
    public record Png(String title, String file, byte[] bytes, String caption) {}

    static final int WIDTH = 900;
    static final int HEIGHT = 420;

    private Charts() {}

    static {
        System.setProperty("java.awt.headless", "true");
    }

    public static List<Png> experiment(Path root, List<ResultRow> rows) throws IOException {
        Path dir = root.resolve("charts");
        Files.createDirectories(dir);
        List<Png> out = new ArrayList<>();
        for (String scenario : ExperimentStatistics.distinct(rows, ResultRow::scenario)) {
            List<ResultRow> s = rows.stream().filter(r -> r.scenario().equals(scenario)).toList();
            XYChart curves = learningCurves(root, scenario, s);
            if (!curves.getSeriesMap().isEmpty()) out.add(save(dir, "curves-" + scenario, "Learning curves: " + scenario, curves,
                    "Training return (mean of recent training episodes) per update: line = mean over seeds, "
                            + "bars = ±1 SD over seeds."));
            out.add(save(dir, "groups-adverse-" + scenario, "Adverse-event rate by group: " + scenario,
                    groupBars(scenario, s, "adverse_rate", "adverse-event rate"),
                    "Held-out greedy evaluation; bar = mean over seeds, whisker = ±1 SD."));
            out.add(save(dir, "groups-wait-" + scenario, "p90 wait by group: " + scenario,
                    groupBars(scenario, s, "p90_wait", "p90 wait of treated patients (min)"),
                    "Held-out greedy evaluation; bar = mean over seeds, whisker = ±1 SD."));
            for (String mode : ExperimentStatistics.distinct(s, ResultRow::robustMode)) {
                if (mode.equals(Cell.PPO)) continue;
                XYChart w = groupWeights(root, scenario, mode, s);
                if (w != null) {
                    out.add(save(dir, "weights-" + scenario + "-" + mode, "Group weights q_g (" + mode + "): " + scenario,
                            w, "Weight of each group in the robust term per update (largest lambda of the grid), "
                                    + "mean over seeds, trailing mean over 10 updates. For dro these are the Group DRO weights q_g; for max, the "
                                    + "share of minibatches in which the group was the worst."));
                }
            }
        }
        out.add(save(dir, "frontier", "Fairness-return frontier", frontier(rows),
                "One point per scenario, robust mode and lambda (mean over seeds); lower and to the right is better."));
        return out;
    }

    static Png save(Path dir, String name, String title, Chart<?, ?> chart, String caption) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        Path file = dir.resolve(name + ".png");
        Files.write(file, png);
        return new Png(title, dir.getFileName() + "/" + file.getFileName(), png, caption);
    }

    /** A cell's run directory: results.csv keeps it relative to the experiment folder (or by its name under cells/). */
    static Path runDir(Path root, ResultRow r) {
        Path p = root.resolve(r.runDir());
        return Files.isDirectory(p) ? p : ExperimentRunner.cellsDir(root).resolve(Path.of(r.runDir()).getFileName());
    }

    static String arm(String mode, double lambda) {
        return lambda == 0 ? "PPO (λ=0)" : mode + " λ=" + Cell.lambdaLabel(lambda);
    }

    /** Rows grouped by arm (mode, lambda), PPO first then by mode and lambda. */
    static Map<String, List<ResultRow>> byArm(List<ResultRow> rows) {
        Map<String, List<ResultRow>> out = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing((ResultRow r) -> r.lambda() == 0 ? "" : r.robustMode())
                        .thenComparingDouble(ResultRow::lambda))
                .forEach(r -> out.computeIfAbsent(arm(r.robustMode(), r.lambda()), k -> new ArrayList<>()).add(r));
        return out;
    }

    static XYChart learningCurves(Path root, String scenario, List<ResultRow> rows) throws IOException {
        XYChart c = xy("Learning curves: " + scenario, "env steps", "training return");
        for (var e : byArm(rows).entrySet()) {
            List<MetricsTable> runs = new ArrayList<>();
            for (ResultRow r : e.getValue()) {
                Path m = runDir(root, r).resolve("metrics.csv");
                if (Files.exists(m)) runs.add(MetricsTable.read(m));
            }
            if (runs.isEmpty()) continue;
            double[][] band = meanSd(runs, "return_mean");
            double[] x = runs.get(0).column("env_steps");
            int n = Math.min(x.length, band[0].length);
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            List<Double> bx = new ArrayList<>(), by = new ArrayList<>(), be = new ArrayList<>();
            int step = Math.max(1, n / 12);
            for (int i = 0; i < n; i++) {
                if (Double.isNaN(band[0][i])) continue;
                xs.add(x[i]);
                ys.add(band[0][i]);
                if (i % step == step - 1 && !Double.isNaN(band[1][i])) {
                    bx.add(x[i]);
                    by.add(band[0][i]);
                    be.add(band[1][i]);
                }
            }
            if (xs.isEmpty()) continue;
            Color color = PALETTE[c.getSeriesMap().size() / 2 % PALETTE.length];
            XYSeries line = c.addSeries(e.getKey(), xs, ys);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(color);
            // a separate scatter series carries the error bars, so the line stays readable
            XYSeries bars = c.addSeries(e.getKey() + " ±SD", bx.isEmpty() ? List.of(xs.get(0)) : bx,
                    bx.isEmpty() ? List.of(ys.get(0)) : by, bx.isEmpty() ? List.of(0.0) : be);
            bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            bars.setMarker(SeriesMarkers.CIRCLE);
            bars.setMarkerColor(color);
            bars.setLineColor(color);
            bars.setShowInLegend(false);
        }
        c.getStyler().setErrorBarsColorSeriesColor(true);
        return c;
    }

    /** Per update: mean and SD over runs of a column (NaN where no run has a value). */
    static double[][] meanSd(List<MetricsTable> runs, String column) {
        int n = runs.stream().mapToInt(MetricsTable::size).min().orElse(0);
        double[] mean = new double[n], sd = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0, ss = 0;
            int k = 0;
            for (MetricsTable t : runs) {
                double v = t.column(column)[i];
                if (Double.isNaN(v)) continue;
                s += v;
                ss += v * v;
                k++;
            }
            mean[i] = k == 0 ? Double.NaN : s / k;
            sd[i] = k < 2 ? Double.NaN : Math.sqrt(Math.max(0, (ss - s * s / k) / (k - 1)));
        }
        return new double[][]{mean, sd};
    }

    static CategoryChart groupBars(String scenario, List<ResultRow> rows, String field, String yTitle) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(yTitle + " by group: " + scenario)
                .xAxisTitle("patient group").yAxisTitle(yTitle).build();
        style(c.getStyler());
        List<String> groups = new ArrayList<>(rows.get(0).groups().keySet());
        for (var e : byArm(rows).entrySet()) {
            List<Double> mean = new ArrayList<>(), sd = new ArrayList<>();
            for (String g : groups) {
                double[] v = e.getValue().stream().mapToDouble(r -> r.groups().get(g).get(field))
                        .filter(d -> !Double.isNaN(d)).toArray();
                SampleSummary s = SampleSummary.of(v);
                mean.add(Double.isNaN(s.mean()) ? 0 : s.mean());
                sd.add(Double.isNaN(s.sd()) ? 0 : s.sd());
            }
            c.addSeries(e.getKey(), groups, mean, sd);
        }
        c.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        return c;
    }

    static XYChart frontier(List<ResultRow> rows) {
        XYChart c = xy("Fairness-return frontier", "mean return (held-out)", "worst group's adverse-event rate");
        for (String scenario : ExperimentStatistics.distinct(rows, ResultRow::scenario)) {
            List<ResultRow> s = rows.stream().filter(r -> r.scenario().equals(scenario)).toList();
            List<ResultRow> ppo = s.stream().filter(r -> r.lambda() == 0).toList();
            List<String> modes = ExperimentStatistics.distinct(s, ResultRow::robustMode).stream()
                    .filter(m -> !m.equals(Cell.PPO)).toList();
            if (modes.isEmpty()) modes = List.of(Cell.PPO);
            for (String mode : modes) {
                TreeMap<Double, List<ResultRow>> byLambda = new TreeMap<>();
                if (!ppo.isEmpty()) byLambda.put(0.0, ppo);
                s.stream().filter(r -> r.robustMode().equals(mode) && r.lambda() > 0)
                        .forEach(r -> byLambda.computeIfAbsent(r.lambda(), k -> new ArrayList<>()).add(r));
                List<Double> x = new ArrayList<>(), y = new ArrayList<>();
                for (List<ResultRow> g : byLambda.values()) {
                    x.add(g.stream().mapToDouble(ResultRow::returnMean).average().orElse(Double.NaN));
                    y.add(g.stream().mapToDouble(ResultRow::worstGroupAdverseRate).average().orElse(Double.NaN));
                }
                XYSeries ser = c.addSeries(scenario + " " + mode + " (λ " + String.join(" → ",
                        byLambda.keySet().stream().map(Cell::lambdaLabel).toList()) + ")", x, y);
                ser.setMarker(SeriesMarkers.CIRCLE);
            }
        }
        c.getStyler().setMarkerSize(9);
        return c;
    }

    /** Group weights of the largest lambda's runs of one mode, mean over seeds; null without metrics. */
    static XYChart groupWeights(Path root, String scenario, String mode, List<ResultRow> rows) throws IOException {
        double top = rows.stream().filter(r -> r.robustMode().equals(mode)).mapToDouble(ResultRow::lambda).max()
                .orElse(0);
        List<MetricsTable> runs = new ArrayList<>();
        for (ResultRow r : rows) {
            if (!r.robustMode().equals(mode) || r.lambda() != top) continue;
            Path m = runDir(root, r).resolve("metrics.csv");
            if (Files.exists(m)) runs.add(MetricsTable.read(m));
        }
        if (runs.isEmpty()) return null;
        XYChart c = xy("Group weights q_g, " + mode + " λ=" + Cell.lambdaLabel(top) + ": " + scenario, "env steps",
                "weight in the robust term");
        double[] x = runs.get(0).column("env_steps");
        for (String g : runs.get(0).groups()) {
            double[] mean = movingAverage(meanSd(runs, "group_" + g + "_weight")[0], 10);
            int n = Math.min(x.length, mean.length);
            XYSeries s = c.addSeries(g, java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(mean, n));
            s.setMarker(SeriesMarkers.NONE);
        }
        return c;
    }

    /** Trailing mean over up to {@code window} updates (the per-update weights are noisy). */
    static double[] movingAverage(double[] v, int window) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double s = 0;
            int k = 0;
            for (int j = Math.max(0, i - window + 1); j <= i; j++) {
                if (!Double.isNaN(v[j])) {
                    s += v[j];
                    k++;
                }
            }
            out[i] = k == 0 ? Double.NaN : s / k;
        }
        return out;
    }

    static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        style(c.getStyler());
        c.getStyler().setXAxisDecimalPattern("#,###");
        return c;
    }

    static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127)};

    static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setAntiAlias(true);
    }
}
