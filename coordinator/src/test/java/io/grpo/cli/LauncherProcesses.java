package io.grpo.cli;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starting {@code ./grpo} as separate JVMs for the process-level tests, and reading their logs. */
final class LauncherProcesses {
    private static final String LAUNCHER = System.getProperty("grpo.launcher", "../grpo");

    private LauncherProcesses() {}

    /** {@code ./grpo ARGS} with the packaged jar (no rebuild) and the given heap, output to {@code log}. */
    static Process start(Path log, String maxHeap, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", new File(LAUNCHER).getAbsolutePath()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("GRPO_NO_BUILD", "1");
        pb.environment().put("JAVA_OPTS", "-Xmx" + maxHeap);
        return pb.start();
    }

    /** The log's text under a header, for assertion messages; empty when unreadable. */
    static String log(Path file) {
        try {
            return "\n--- " + file.getFileName() + " ---\n" + Files.readString(file);
        } catch (Exception e) {
            return "";
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
