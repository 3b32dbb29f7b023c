package io.grpo.experiment;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A run's metrics.csv read back as numeric columns (blank cells are NaN). */
public final class MetricsTable {
    private final List<String> header;
    private final List<double[]> rows;

    private MetricsTable(List<String> header, List<double[]> rows) {
        this.header = header;
        this.rows = rows;
    }

    public static MetricsTable read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
            List<String> header = p.getHeaderNames();
            List<double[]> rows = new ArrayList<>();
            for (CSVRecord r : p) {
                double[] v = new double[header.size()];
                for (int i = 0; i < v.length; i++) {
                    String s = i < r.size() ? r.get(i) : "";
                    try {
                        v[i] = s.isBlank() ? Double.NaN : Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        v[i] = Double.NaN;
                    }
                }
                rows.add(v);
            }
            return new MetricsTable(header, rows);
        }
    }

    public boolean has(String column) {
        return header.contains(column);
    }

    public int size() {
        return rows.size();
    }

    public double[] column(String name) {
        int i = header.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("metrics has no column " + name);
        return rows.stream().mapToDouble(r -> r[i]).toArray();
    }

    /** Group names from the group_<g>_weight columns, in file order. */
    public List<String> groups() {
        return header.stream().filter(h -> h.startsWith("group_") && h.endsWith("_weight"))
                .map(h -> h.substring(6, h.length() - 7)).toList();
    }

    @Override
    public String toString() {
        return "MetricsTable" + Arrays.toString(header.toArray());
    }
}
