package io.grpo.cli;

import io.grpo.core.env.Environment;
import io.grpo.core.env.StepResult;
import io.grpo.scenarios.cartpole.CartPole;
import io.grpo.scenarios.hospital.HospitalSimulator;
import io.grpo.scenarios.hospital.ScenarioLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Single-threaded simulator steps per second with uniformly random actions.")
final class SimulatorBenchCommand implements Callable<Integer> {
    private static volatile double blackhole;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "2000000",
            description = "Measured steps per environment, after a warm-up of N/4 (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
            description = "Measurements per environment; the best is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Override
    public Integer call() {
        if (steps < 1000) throw new CommandLine.ParameterException(spec.commandLine(), "--steps must be >= 1000, got " + steps);
        if (repeats < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--repeats must be >= 1, got " + repeats);
        Map<String, Supplier<Environment>> envs = new LinkedHashMap<>();
        for (String name : ScenarioLoader.presetNames()) {
            envs.put("hospital/" + name, () -> new HospitalSimulator(ScenarioLoader.preset(name)));
        }
        envs.put("cartpole", CartPole::new);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("%-20s %16s %14s%n", "environment", "steps/s (best)", "ns/step");
        for (var e : envs.entrySet()) {
            run(e.getValue().get(), steps / 4);
            double best = 0;
            for (int r = 0; r < repeats; r++) best = Math.max(best, run(e.getValue().get(), steps));
            w.printf(Locale.ROOT, "%-20s %,16.0f %14.1f%n", e.getKey(), best, 1e9 / best);
            w.flush();
        }
        return 0;
    }

    /** Steps per second over n random-action steps, resetting at episode ends. */
    static double run(Environment env, long n) {
        SplittableRandom rng = new SplittableRandom(1);
        env.reset(1);
        int actions = env.actionCount();
        double sink = 0;
        long start = System.nanoTime();
        for (long i = 0; i < n; i++) {
            StepResult r = env.step(rng.nextInt(actions));
            sink += r.reward();
            if (r.done()) env.reset();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        blackhole = sink; // the rewards are used, so the JIT cannot drop the steps
        return n / seconds;
    }
}
