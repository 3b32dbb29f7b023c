package io.grpo.experiment;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code results.csv}: one row per finished cell, appended (and flushed) as each cell ends, so an
 * interrupted grid keeps every finished cell and a rerun skips them.
 */
public final class ResultsCsv {
    static final List<String> FIXED = List.of("scenario", "robust_mode", "lambda", "seed", "updates", "env_steps",
            "train_seconds", "eval_episodes", "return_mean", "return_std", "worst_group", "worst_group_adverse_rate",
            "worst_group_p90_wait", "adverse_rate_gap", "p90_wait_gap", "fairness_score", "jain_treated_rate",
            "gini_mean_wait");

    private final Path file;

    public ResultsCsv(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The rows so far (none when the file does not exist). */
    public List<ResultRow> read() throws IOException {
        if (!Files.exists(file)) return List.of();
        List<ResultRow> rows = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
            List<String> groups = groupsOf(p.getHeaderNames());
            for (CSVRecord r : p) {
                try {
                    rows.add(parse(r, groups));
                } catch (RuntimeException e) {
                    throw new IOException(file + " line " + r.getRecordNumber() + 1 + ": " + e.getMessage(), e);
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return rows;
    }

    /** Appends one row, writing the header first when the file is new. */
    public synchronized void append(ResultRow row) throws IOException {
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        List<String> header = header(new ArrayList<>(row.groups().keySet()));
        if (!fresh) {
            List<String> existing = groupsOf(headerOfFile());
            if (!existing.equals(new ArrayList<>(row.groups().keySet()))) {
                throw new IOException(file + " has groups " + existing + ", this row " + row.groups().keySet());
            }
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
             CSVPrinter out = new CSVPrinter(w, fresh ? CSVFormat.DEFAULT.builder()
                     .setHeader(header.toArray(String[]::new)).build() : CSVFormat.DEFAULT)) {
            out.printRecord(values(row));
        }
    }

    private List<String> headerOfFile() throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().build().parse(in)) {
            return p.getHeaderNames();
        }
    }

    static List<String> header(List<String> groups) {
        List<String> h = new ArrayList<>(FIXED);
        for (String g : groups) {
            for (String f : ResultRow.GroupOutcome.FIELDS) h.add("group_" + g + "_" + f);
        }
        h.add("run_dir");
        return h;
    }

    private static List<String> groupsOf(List<String> header) {
        if (!header.containsAll(FIXED)) {
            List<String> missing = new ArrayList<>(FIXED);
            missing.removeAll(header);
            throw new IllegalArgumentException("not a results file: missing columns " + missing);
        }
        List<String> groups = new ArrayList<>();
        String suffix = "_" + ResultRow.GroupOutcome.FIELDS.get(0);
        for (String h : header) {
            if (h.startsWith("group_") && h.endsWith(suffix)) {
                groups.add(h.substring("group_".length(), h.length() - suffix.length()));
            }
        }
        return groups;
    }

    private static List<Object> values(ResultRow r) {
        List<Object> v = new ArrayList<>(List.of(r.scenario(), r.robustMode(), Cell.lambdaLabel(r.lambda()), r.seed(),
                r.updates(), r.envSteps(), r.trainSeconds(), r.evalEpisodes(), r.returnMean(), r.returnStd(),
                r.worstGroup(), r.worstGroupAdverseRate(), r.worstGroupP90Wait(), r.adverseRateGap(), r.p90WaitGap(),
                r.fairnessScore(), r.jainTreatedRate(), r.giniMeanWait()));
        for (ResultRow.GroupOutcome g : r.groups().values()) {
            for (String f : ResultRow.GroupOutcome.FIELDS) v.add(g.get(f));
        }
        v.add(r.runDir());
        return v;
    }

    private static ResultRow parse(CSVRecord r, List<String> groups) {
        Map<String, ResultRow.GroupOutcome> g = new LinkedHashMap<>();
        for (String name : groups) {
            String p = "group_" + name + "_";
            g.put(name, new ResultRow.GroupOutcome(d(r, p + "treated_rate"), d(r, p + "mean_wait"), d(r, p + "p90_wait"),
                    d(r, p + "left_unseen_rate"), d(r, p + "adverse_rate")));
        }
        return new ResultRow(r.get("scenario"), r.get("robust_mode"), d(r, "lambda"), Long.parseLong(r.get("seed")),
                Integer.parseInt(r.get("updates")), Long.parseLong(r.get("env_steps")), d(r, "train_seconds"),
                Integer.parseInt(r.get("eval_episodes")), d(r, "return_mean"), d(r, "return_std"), r.get("worst_group"),
                d(r, "worst_group_adverse_rate"), d(r, "worst_group_p90_wait"), d(r, "adverse_rate_gap"),
                d(r, "p90_wait_gap"), d(r, "fairness_score"), d(r, "jain_treated_rate"), d(r, "gini_mean_wait"), g,
                r.isMapped("run_dir") ? r.get("run_dir") : "");
    }

    private static double d(CSVRecord r, String column) {
        String v = r.get(column);
        if (v == null || v.isBlank()) return Double.NaN;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column " + column + ": not a number: '" + v + "'");
        }
    }
}
