package io.grpo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code grpo} command line. Exit status: 0 ok, 1 failure while running, 2 bad usage or input. */
@Command(name = "grpo", mixinStandardHelpOptions = true, versionProvider = GrpoCli.Version.class,
        description = "Group Robust Policy Optimization (GRPO) trainer.",
        subcommands = {TrainCommand.class, CoordinatorCommand.class, WorkerCommand.class, EvalCommand.class, ExperimentCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class GrpoCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: grpo train --help)");
    }

    public static CommandLine commandLine() {
        return new CommandLine(new GrpoCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(GrpoCli::shortUsageError);
    }

    /** One clear line naming the problem and where help is, instead of the whole usage text. */
    private static int shortUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("grpo: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr());
        cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = GrpoCli.class.getPackage().getImplementationVersion();
            return new String[]{"grpo " + (v != null ? v : "(development build)")};
        }
    }
}
