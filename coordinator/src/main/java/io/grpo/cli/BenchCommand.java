package io.grpo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Benchmarks: they print numbers and ratios; tests assert behaviour. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark and print its table.",
        subcommands = {SolveBenchCommand.class, SimulatorBenchCommand.class, WireBenchCommand.class,
                TransportBenchCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark (available: solve, sim, wire, transport)");
    }
}
