package io.grpo.cli;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import com.typesafe.config.ConfigFactory;
import io.grpo.coordinator.bench.EndToEndBench;
import io.grpo.coordinator.bench.Measure;
import io.grpo.coordinator.bench.NetBench;
import io.grpo.coordinator.bench.WorkerBench;
import io.grpo.core.LearnerBackend;
import io.grpo.core.policy.ActorCritic;
import io.grpo.core.policy.ObservationNormalizer;
import io.grpo.protocol.LearnerProtocol;
import io.grpo.protocol.WorkerProtocol;
import io.grpo.scenarios.cartpole.CartPole;
import io.grpo.scenarios.hospital.HospitalSimulator;
import io.grpo.scenarios.hospital.ScenarioLoader;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The benchmark suite: one Markdown table of simulator, inference, learner, wire and
 * end-to-end speeds, each against the hand-written reference or the target.
 * Benchmarks print numbers and ratios; tests assert behaviour.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the benchmark suite and print one Markdown table (or a single benchmark: solve, sim, wire, transport).",
                "End-to-end rows start fresh JVMs of this Java and class path; their runs are kept under --runs."},
        subcommands = {SolveBenchCommand.class, SimulatorBenchCommand.class, WireBenchCommand.class,
                TransportBenchCommand.class})
final class BenchCommand implements Callable<Integer> {
    /** The original project's four-scenario parallel demo on the development machine, env steps/s. */
    static final double ORIGINAL_LOW = 725, ORIGINAL_HIGH = 965;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "Shorter measurements and smaller end-to-end budgets (about a minute or two).")
    boolean quick;

    @Option(names = "--no-e2e", description = "Skip the end-to-end rows (the runs that start other JVMs).")
    boolean noEndToEnd;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown to FILE.")
    Path out;

    @Option(names = "--runs", paramLabel = "DIR", description = "Where end-to-end runs go (default: runs/bench-<time>).")
    Path runs;

    private final List<String[]> rows = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (out != null && out.getParent() != null && !Files.isDirectory(out.getParent())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out: no such directory " + out.getParent());
        }
        PrintWriter w = spec.commandLine().getOut();
        int repeats = quick ? 3 : 5;
        double minSeconds = quick ? 0.2 : 0.5;
        String header = header(repeats, minSeconds);
        w.print(header);
        w.flush();

        simulators(quick ? 200_000 : 1_000_000, repeats);
        NetBench nets = new NetBench(repeats, minSeconds);
        inference(nets);
        double learnerAbsorbs = learner(nets, quick ? 4_096 : 8_192);
        double worker = WorkerBench.samplesPerSecond(nets.hospitalConfig(), repeats, minSeconds * 4);
        row("learner vs worker", "one worker's rollout (16 urban envs x 128 steps, plain-Java inference)",
                rate(worker, "samples/s"), "", "");
        row("learner vs worker", "learner samples/s (default update, 2,048 fresh samples) / one worker's",
                String.format(Locale.ROOT, "%.1fx", learnerAbsorbs / worker), "", target(learnerAbsorbs / worker, 4, "x"));
        wire(quick ? 500 : 2_000);
        if (!noEndToEnd) endToEnd();

        String table = table();
        w.print(table);
        w.flush();
        if (out != null) Files.writeString(out, header + table);
        return 0;
    }

    private void simulators(long steps, int repeats) {
        for (String name : ScenarioLoader.presetNames()) {
            double r = medianSimRate(() -> new HospitalSimulator(ScenarioLoader.preset(name)), steps, repeats);
            row("simulator (1 thread, random actions)", "hospital/" + name, rate(r, "steps/s"), "", "");
        }
        row("simulator (1 thread, random actions)", "cartpole", rate(medianSimRate(CartPole::new, steps, repeats), "steps/s"), "", "");
    }

    private static double medianSimRate(java.util.function.Supplier<io.grpo.core.env.Environment> env, long steps, int repeats) {
        SimulatorBenchCommand.run(env.get(), steps / 4);
        double[] r = new double[repeats];
        for (int i = 0; i < repeats; i++) r[i] = SimulatorBenchCommand.run(env.get(), steps);
        return Measure.median(r);
    }

    private void inference(NetBench nets) {
        for (int batch : new int[]{1, 16, 64, 256}) {
            NetBench.Inference r = nets.inference(batch);
            String s = "inference (policy + value), batch " + batch;
            row(s, "reference (plain float loops)", rate(r.reference(), "samples/s"), "1.00", "");
            row(s, "`DenseForward` (what workers run: loops for 1-3 rows, BLAS from 4)", rate(r.plainJava(), "samples/s"),
                    ratio(r.plainJava(), r.reference()), target(r.plainJava() / r.reference(), 0.3, ""));
            row(s, "BLAS `BlasMlp`", rate(r.blas(), "samples/s"), ratio(r.blas(), r.reference()),
                    target(r.blas() / r.reference(), 0.3, ""));
            row(s, "DL4J (`MultiLayerNetwork.output`, policy and value)", rate(r.dl4j(), "samples/s"), ratio(r.dl4j(), r.reference()),
                    target(r.dl4j() / r.reference(), 0.3, ""));
        }
    }

    /** Learner rows; returns the BLAS learner's fresh samples/s on the default 2,048-sample update. */
    private double learner(NetBench nets, int samples) {
        for (int mb : new int[]{64, 256, 1024}) {
            NetBench.LearnerEpoch r = nets.learnerEpoch(mb, samples);
            String s = "learner, one epoch of " + String.format(Locale.ROOT, "%,d", samples) + " samples, minibatch " + mb;
            row(s, "reference (plain float loops: forward, backward, Adam)", rate(r.reference(), "samples/s"), "1.00", "");
            row(s, "BLAS backend (default)", rate(r.blas(), "samples/s"), ratio(r.blas(), r.reference()),
                    target(r.blas() / r.reference(), 0.3, ""));
            row(s, "DL4J backend", rate(r.dl4j(), "samples/s"), ratio(r.dl4j(), r.reference()),
                    target(r.dl4j() / r.reference(), 0.3, ""));
        }
        double absorbs = 0;
        for (int n : new int[]{2_048, 8_192}) {
            String s = "learner, full default update (4 epochs, minibatch 256) on " + String.format(Locale.ROOT, "%,d", n)
                    + " samples";
            double blas = nets.fullUpdateMillis(LearnerBackend.BLAS, n);
            double dl4j = nets.fullUpdateMillis(LearnerBackend.DL4J, n);
            row(s, "BLAS backend (default)", String.format(Locale.ROOT, "%.1f ms", blas), "", "");
            row(s, "DL4J backend", String.format(Locale.ROOT, "%.1f ms (BLAS is %.1fx faster)", dl4j, dl4j / blas), "", "");
            if (n == 2_048) absorbs = n / (blas / 1000);
        }
        return absorbs;
    }

    private void wire(int iterations) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "grpo-bench",
                ConfigFactory.parseString("akka.actor.provider = local\nakka.loglevel = WARNING")
                        .withFallback(ConfigFactory.load()));
        try {
            Serialization serialization = SerializationExtension.get(Adapter.toClassic(system));
            ActorCritic net = ActorCritic.forConfig(NetBench.OBS, NetBench.ACTIONS,
                    io.grpo.scenarios.EnvironmentCatalog.hospitalDefaults(), DataType.FLOAT);
            int d = NetBench.OBS;
            Object weights = new WorkerProtocol.PolicyWeights("shared", 7, net.parameters(),
                    new ObservationNormalizer.State(new double[d], new double[d], 1000));
            wireRow(serialization, "`PolicyWeights` (hospital net, " + net.parameterCount() + " parameters)", weights, iterations);
            LearnerProtocol.TrajectoryBatch batch = WireBenchCommand.batch(system.ignoreRef(), 2_048);
            wireRow(serialization, "trajectory batch (2,048 samples, one worker's 16 x 128)", batch, iterations);
        } finally {
            system.terminate();
        }
    }

    private void wireRow(Serialization serialization, String what, Object message, int iterations) {
        int id = serialization.findSerializerFor(message).identifier();
        int[] bytes = {0};
        double perSecond = Measure.medianRate(3, 0.3, () -> {
            for (int i = 0; i < iterations / 10; i++) bytes[0] = WireBenchCommand.roundTrip(serialization, message, id);
            return iterations / 10;
        });
        row("wire: serialize + deserialize (Kryo via Akka)", what,
                String.format(Locale.ROOT, "%,d bytes, %.1f us", bytes[0], 1e6 / perSecond), "", "");
    }

    private void endToEnd() throws IOException, InterruptedException {
        Path root = runs != null ? runs : Path.of("runs", "bench-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        EndToEndBench e2e = new EndToEndBench(root);
        String s = "end to end, env steps/s with learning (hospital defaults): steady (first to last update) / whole run";
        EndToEndBench.Result single = e2e.single(quick ? 51_200 : 204_800);
        row(s, "single JVM, one scenario (urban): `" + single.command() + "`", e2eRate(single),
                original(single.steadyEnvStepsPerSecond()), "");
        EndToEndBench.Result embedded = e2e.embedded(quick ? 204_800 : 819_200);
        row(s, "embedded cluster, four scenarios, one JVM: `" + embedded.command() + "`", e2eRate(embedded),
                original(embedded.steadyEnvStepsPerSecond()),
                target(embedded.steadyEnvStepsPerSecond() / ORIGINAL_HIGH, 50, "x of 965"));
        EndToEndBench.Result one = e2e.coordinatorWithWorkers(List.of("urban"), quick ? 102_400 : 204_800, 25531);
        row(s, "coordinator + one worker JVM (urban): `" + one.command() + "`", e2eRate(one),
                original(one.steadyEnvStepsPerSecond()), "");
        EndToEndBench.Result two = e2e.coordinatorWithWorkers(List.of("urban", "rural"), quick ? 204_800 : 409_600, 25532);
        row(s, "coordinator + two worker JVMs (urban, rural): `" + two.command() + "`", e2eRate(two),
                original(two.steadyEnvStepsPerSecond()),
                target(two.steadyEnvStepsPerSecond() / one.steadyEnvStepsPerSecond(), 1.7, "x of one worker"));
        int seeds = quick ? 1 : 3;
        double[] steps = new double[seeds], walls = new double[seeds];
        int solved = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            EndToEndBench.Result c = e2e.cartpole(seed);
            steps[seed - 1] = c.summary().path("solved_at_env_steps").asDouble(Double.NaN);
            walls[seed - 1] = c.wallSeconds();
            if (!Double.isNaN(steps[seed - 1])) solved++;
        }
        double medSteps = Measure.median(steps), medWall = Measure.median(walls);
        row("CartPole-v1 to solved (greedy 100-episode mean >= 475)",
                seeds + " seed(s), median: `./grpo train --env cartpole --seed S --max-env-steps 100000 --eval-every 10240 --eval-episodes 100`",
                String.format(Locale.ROOT, "solved %d/%d, %,.0f env steps, %.1f s", solved, seeds, medSteps, medWall), "",
                (solved == seeds && medSteps <= 100_000 && medWall <= 15 ? "met" : "MISSED") + " (<= 100k steps, <= 15 s)");
        row("end to end", "runs kept in", root.toString(), "", "");
    }

    private String header(int repeats, double minSeconds) {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, """
                        # grpo bench%s
                        date: %s UTC; machine: %s, %d cores, load average %.2f at start
                        JVM: %s %s, max heap %d MB; OMP_NUM_THREADS=%s; learner and inference single-threaded
                        each figure: median of %d measurements of >= %.1f s after a warm-up

                        """, quick ? " --quick" : "",
                LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), cpuModel(),
                Runtime.getRuntime().availableProcessors(), os.getSystemLoadAverage(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), repeats, minSeconds);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private void row(String section, String what, String result, String vsReference, String target) {
        rows.add(new String[]{section, what, result, vsReference, target});
        PrintWriter w = spec.commandLine().getErr();
        w.println("bench: " + section + " | " + what + " | " + result);
        w.flush();
    }

    private String table() {
        StringBuilder b = new StringBuilder("| section | case | result | fraction of reference | target |\n");
        b.append("| --- | --- | ---: | ---: | --- |\n");
        for (String[] r : rows) b.append("| ").append(String.join(" | ", r)).append(" |\n");
        return b.toString();
    }

    private static String rate(double v, String unit) {
        return String.format(Locale.ROOT, "%,.0f %s", v, unit);
    }

    private static String e2eRate(EndToEndBench.Result r) {
        return String.format(Locale.ROOT, "%,.0f / %,.0f env steps/s", r.steadyEnvStepsPerSecond(), r.envStepsPerSecond());
    }

    private static String ratio(double v, double reference) {
        return String.format(Locale.ROOT, "%.2f", v / reference);
    }

    private static String original(double rate) {
        return String.format(Locale.ROOT, "%.1f-%.1fx the original", rate / ORIGINAL_HIGH, rate / ORIGINAL_LOW);
    }

    private static String target(double achieved, double goal, String unit) {
        return String.format(Locale.ROOT, "%s (>= %s%s: %.2f of it)", achieved >= goal ? "met" : "MISSED",
                goal == Math.rint(goal) ? String.valueOf((long) goal) : String.valueOf(goal), unit, achieved / goal);
    }
}
