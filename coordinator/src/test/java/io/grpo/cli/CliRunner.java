package io.grpo.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the grpo command line in-process and keeps what it printed. */
final class CliRunner {
    final StringWriter err = new StringWriter();
    final StringWriter out = new StringWriter();

    int grpo(String... args) {
        CommandLine cmd = GrpoCli.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(out, true));
        return cmd.execute(args);
    }
}
