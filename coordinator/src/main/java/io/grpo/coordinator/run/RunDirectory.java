package io.grpo.coordinator.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A run's output folder: {@code config.json}, {@code metrics.csv}, {@code summary.json},
 * {@code checkpoints/}. A folder that already holds a run is never overwritten.
 */
public final class RunDirectory {
    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /** {@code runs/<env>-l<lambda>-<mode>-s<seed>-<timestamp>} under the working directory. */
    public static Path defaultPath(String env, double lambda, String mode, long seed) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("runs", String.format(Locale.ROOT, "%s-l%s-%s-s%d-%s", env, trim(lambda), mode, seed, stamp));
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** Creates the folder; fails if it already holds a run's files. */
    public static RunDirectory create(Path root) throws IOException {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IOException(root + " exists and is not a directory");
        }
        if (Files.exists(root.resolve("metrics.csv")) || Files.exists(root.resolve("summary.json"))) {
            throw new IOException(root + " already holds a run; choose another --out or remove it");
        }
        Files.createDirectories(root.resolve("checkpoints"));
        return new RunDirectory(root);
    }

    /**
     * The run directory another coordinator created or is about to create (a standby sharing it):
     * made if missing, never refused for holding a run.
     */
    public static RunDirectory attach(Path root) throws IOException {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IOException(root + " exists and is not a directory");
        }
        Files.createDirectories(root.resolve("checkpoints"));
        return new RunDirectory(root);
    }

    public Path root() {
        return root;
    }

    public Path config() {
        return root.resolve("config.json");
    }

    public Path metrics() {
        return root.resolve("metrics.csv");
    }

    public Path summary() {
        return root.resolve("summary.json");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public void writeJson(Path file, Object value) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Json.MAPPER.writeValue(tmp.toFile(), value);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
