package io.grpo.coordinator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpo.coordinator.run.Json;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end runs (rollouts and learning) as a user starts them: each in fresh JVMs of the
 * same Java and class path as this one, reading the rate from the run's {@code summary.json}.
 */
public final class EndToEndBench {
    private static final String MAIN = "io.grpo.cli.GrpoCli";
    private final Path root;

    public EndToEndBench(Path root) {
        this.root = root;
    }

    /**
     * One run's outcome; {@code command} is how to repeat it with the launcher.
     *
     * @param envStepsPerSecond       the run's own figure: all env steps over its whole wall time (start,
     *                                cluster join and final evaluation included)
     * @param steadyEnvStepsPerSecond env steps between the first and the last update over the time
     *                                between them (from {@code metrics.csv}): the rate once running
     */
    public record Result(String command, double envStepsPerSecond, double steadyEnvStepsPerSecond, double wallSeconds,
                         JsonNode summary) {}

    /** Single process, one scenario (urban). */
    public Result single(long envSteps) throws IOException, InterruptedException {
        List<String> args = List.of("train", "--scenario", "urban", "--max-env-steps", "" + envSteps, "--eval-every", "0",
                "--eval-episodes", "1", "-q");
        return runCli("single", args);
    }

    /** Embedded cluster: learner and one worker per scenario for the four presets in one JVM. */
    public Result embedded(long envSteps) throws IOException, InterruptedException {
        return runCli("embedded", List.of("train", "--max-env-steps", "" + envSteps, "--eval-episodes", "1", "-q"));
    }

    /** CartPole to solved: greedy 100-episode evaluation every 10,240 steps, stop when solved. */
    public Result cartpole(long seed) throws IOException, InterruptedException {
        return runCli("cartpole-" + seed, List.of("train", "--env", "cartpole", "--seed", "" + seed, "--max-env-steps",
                "100000", "--eval-every", "10240", "--eval-episodes", "100", "-q"));
    }

    /** A coordinator JVM and one worker JVM per scenario, on loopback. */
    public Result coordinatorWithWorkers(List<String> scenarios, long envSteps, int port)
            throws IOException, InterruptedException {
        String name = "coordinator-" + scenarios.size() + "w";
        Path out = root.resolve(name);
        List<String> coordinator = new ArrayList<>(List.of("coordinator", "--host", "127.0.0.1", "--port", "" + port,
                "--scenarios", String.join(",", scenarios), "--max-env-steps", "" + envSteps, "--eval-episodes", "1",
                "--timeout", "20", "-q", "--out", out.toString()));
        Files.createDirectories(root);
        Process c = start(coordinator, root.resolve(name + ".log"));
        List<Process> workers = new ArrayList<>();
        try {
            awaitListening(c, port); // workers started earlier back off between join attempts
            for (int i = 0; i < scenarios.size(); i++) {
                workers.add(start(List.of("worker", "--scenario", scenarios.get(i), "--seed", "" + (i + 1), "--host",
                        "127.0.0.1", "--seed-nodes", "127.0.0.1:" + port), root.resolve(name + "-worker" + i + ".log")));
            }
            if (!c.waitFor(25, TimeUnit.MINUTES) || c.exitValue() != 0) {
                throw new IOException("coordinator run failed; see " + root.resolve(name + ".log"));
            }
        } finally {
            c.destroy();
            for (Process w : workers) w.destroy();
            for (Process w : workers) {
                if (!w.waitFor(30, TimeUnit.SECONDS)) w.destroyForcibly();
            }
        }
        String cmd = "./grpo " + String.join(" ", coordinator.subList(0, coordinator.size() - 2)) + " & "
                + scenarios.size() + " x ./grpo worker --scenario S --host 127.0.0.1 --seed-nodes 127.0.0.1:" + port;
        return result(cmd, out);
    }

    private static void awaitListening(Process p, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IOException("coordinator never listened on port " + port);
    }

    private Result runCli(String name, List<String> args) throws IOException, InterruptedException {
        Path out = root.resolve(name);
        List<String> all = new ArrayList<>(args);
        all.add("--out");
        all.add(out.toString());
        Files.createDirectories(root);
        Process p = start(all, root.resolve(name + ".log"));
        if (!p.waitFor(25, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("`grpo " + String.join(" ", args) + "` failed; see " + root.resolve(name + ".log"));
        }
        return result("./grpo " + String.join(" ", args), out);
    }

    private static Result result(String command, Path runDir) throws IOException {
        JsonNode s = Json.MAPPER.readTree(runDir.resolve("summary.json").toFile());
        return new Result(command, s.path("env_steps_per_second").asDouble(Double.NaN), steadyRate(runDir),
                s.path("wall_seconds").asDouble(Double.NaN), s);
    }

    private static double steadyRate(Path runDir) throws IOException {
        try (Reader in = Files.newBufferedReader(runDir.resolve("metrics.csv"))) {
            List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                    .parse(in).getRecords();
            if (rows.size() < 2) return Double.NaN;
            CSVRecord first = rows.get(0), last = rows.get(rows.size() - 1);
            double steps = Double.parseDouble(last.get("env_steps")) - Double.parseDouble(first.get("env_steps"));
            double seconds = Double.parseDouble(last.get("wall_seconds")) - Double.parseDouble(first.get("wall_seconds"));
            return steps / seconds;
        }
    }

    private static Process start(List<String> cliArgs, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx2g");
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MAIN);
        cmd.addAll(cliArgs);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
