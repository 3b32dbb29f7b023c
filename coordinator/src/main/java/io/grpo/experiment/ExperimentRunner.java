package io.grpo.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the cells of a grid that results.csv does not hold yet, {@code parallel} at a time, each in
 * {@code cells/<cell>/}, appending a row as each finishes. A cell folder left by an interrupted
 * run (no row) is cleared and the cell rerun.
 */
public final class ExperimentRunner {
    private final Path root;
    private final CellRunner runner;
    private final int parallel;
    private final PrintWriter log;

    public ExperimentRunner(Path root, CellRunner runner, int parallel, PrintWriter log) {
        if (parallel < 1) throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
        this.root = root;
        this.runner = runner;
        this.parallel = parallel;
        this.log = log;
    }

    public static Path cellsDir(Path root) {
        return root.resolve("cells");
    }

    /** The cells of the grid without a result row. */
    public static List<Cell> pending(List<Cell> grid, List<ResultRow> done) {
        Set<String> finished = done.stream().map(r -> r.cell().key()).collect(Collectors.toSet());
        return grid.stream().filter(c -> !finished.contains(c.key())).toList();
    }

    /** Runs the pending cells; throws after the others finish if any cell failed. */
    public void run(List<Cell> grid, ResultsCsv results) throws Exception {
        List<Cell> todo = pending(grid, results.read());
        int total = grid.size();
        int skipped = total - todo.size();
        log.printf(Locale.ROOT, "experiment: %d cells, %d already finished, %d to run, %d at a time%n", total, skipped,
                todo.size(), parallel);
        if (todo.isEmpty()) return;
        Files.createDirectories(cellsDir(root));
        long start = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "experiment-cell");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Cell cell : todo) {
                futures.add(pool.submit(() -> {
                    try {
                        Path dir = cellsDir(root).resolve(cell.dirName());
                        clearInterrupted(dir);
                        ResultRow row = runner.run(cell, dir).withRunDir(root.relativize(dir).toString());
                        results.append(row);
                        int n = done.incrementAndGet();
                        double elapsed = (System.nanoTime() - start) / 1e9;
                        double eta = elapsed / n * (todo.size() - n);
                        log.printf(Locale.ROOT, "[%d/%d] %s: return %.1f, worst group %s adverse %.3f, max p90 wait %.0f "
                                        + "(%.0f s); elapsed %s, ETA %s%n", skipped + n, total, cell.key(),
                                row.returnMean(), row.worstGroup(), row.worstGroupAdverseRate(), row.worstGroupP90Wait(),
                                row.trainSeconds(), clock(elapsed), clock(eta));
                        log.flush();
                    } catch (Exception | Error e) {
                        synchronized (failures) {
                            failures.add(cell.key() + ": " + e);
                        }
                        log.println("cell " + cell.key() + " failed: " + e);
                        log.flush();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        if (!failures.isEmpty()) {
            throw new IOException(failures.size() + " cell(s) failed (rerun to retry them): " + failures);
        }
    }

    /** Removes what an interrupted run left in a cell's folder (only inside cells/). */
    private void clearInterrupted(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        if (!dir.normalize().startsWith(cellsDir(root).normalize())) throw new IOException("refusing to clear " + dir);
        log.println("clearing unfinished " + dir);
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
