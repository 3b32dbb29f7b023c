package io.grpo.cli;

import io.grpo.node.NodeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** --host, --port, --seed-nodes, --frame-size: where a cluster node listens and whom it joins. */
final class NodeOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--host", paramLabel = "HOST",
            description = "Address other nodes reach this one at (default: $GRPO_HOST or 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Cluster port; 0 picks a free one (default: $GRPO_PORT, else 2552 for a coordinator, 0 for a worker).")
    Integer port;

    @Option(names = "--seed-nodes", paramLabel = "HOST:PORT", split = ",",
            description = "Nodes to join, comma-separated (default: $GRPO_SEED_NODES; a coordinator without seeds "
                    + "starts the cluster).")
    List<String> seedNodes = new ArrayList<>();

    @Option(names = "--frame-size", paramLabel = "BYTES", defaultValue = "" + NodeConfig.DEFAULT_MAX_FRAME_BYTES,
            description = "Largest message on the wire, in bytes; every node of a cluster should use the same "
                    + "(default: ${DEFAULT-VALUE}).")
    long frameSize;

    NodeConfig resolve(List<String> roles, int defaultPort) {
        try {
            return NodeConfig.resolve(host, port, seedNodes, roles, defaultPort, System.getenv()).withMaxFrameBytes(frameSize);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(mixee.commandLine(), e.getMessage());
        }
    }
}
