package io.grpo.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.grpo.node.FailureDetection;
import io.grpo.node.NodeConfig;
import io.grpo.node.tls.TlsSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** --host, --port, --seed-nodes, --frame-size, failure detection, --tls-*: where a cluster node listens, whom it joins, and how. */
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

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "This node's PKCS12 keystore (deploy/gen-certs.sh); turns on TLS 1.3 with mutual "
                    + "authentication (default: $GRPO_TLS_KEYSTORE).")
    Path tlsKeyStore;

    @Option(names = "--tls-truststore", paramLabel = "FILE",
            description = "Truststore with the cluster CA (default: $GRPO_TLS_TRUSTSTORE).")
    Path tlsTrustStore;

    @Option(names = "--tls-password-file", paramLabel = "FILE",
            description = "File holding the stores' password (default: $GRPO_TLS_PASSWORD_FILE, else $GRPO_TLS_PASSWORD).")
    Path tlsPasswordFile;

    @Option(names = "--tls-hostname-verification", paramLabel = "on|off", arity = "1",
            converter = OnOff.class,
            description = "Also check that a peer's certificate names its host (default: $GRPO_TLS_HOSTNAME_VERIFICATION, else off).")
    Boolean tlsHostnameVerification;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION",
            description = "Cluster heartbeat interval, e.g. 1s or 200ms (default: $GRPO_HEARTBEAT_INTERVAL or 1s).")
    String heartbeatInterval;

    @Option(names = "--heartbeat-pause", paramLabel = "DURATION",
            description = "Silence after which a node is marked unreachable (default: $GRPO_HEARTBEAT_PAUSE or 3s).")
    String heartbeatPause;

    @Option(names = "--stable-after", paramLabel = "DURATION",
            description = "Stable membership needed before unreachable nodes are downed (default: $GRPO_STABLE_AFTER or 7s).")
    String stableAfter;

    NodeConfig resolve(List<String> roles, int defaultPort) {
        try {
            var env = System.getenv();
            FailureDetection d = FailureDetection.DEFAULT;
            FailureDetection failure = new FailureDetection(
                    duration("--heartbeat-interval", heartbeatInterval, "GRPO_HEARTBEAT_INTERVAL", env, d.heartbeatInterval()),
                    duration("--heartbeat-pause", heartbeatPause, "GRPO_HEARTBEAT_PAUSE", env, d.acceptableHeartbeatPause()),
                    duration("--stable-after", stableAfter, "GRPO_STABLE_AFTER", env, d.stableAfter()));
            TlsSettings tls = TlsSettings.resolve(tlsKeyStore, tlsTrustStore, tlsPasswordFile, tlsHostnameVerification, env);
            return NodeConfig.resolve(host, port, seedNodes, roles, defaultPort, env).withMaxFrameBytes(frameSize)
                    .withFailureDetection(failure).withTls(tls);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    /** on/off (also true/false, yes/no). */
    static final class OnOff implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "on", "true", "yes" -> true;
                case "off", "false", "no" -> false;
                default -> throw new CommandLine.TypeConversionException("expected on or off, got '" + value + "'");
            };
        }
    }

    /** A HOCON duration ("500ms", "2s") from the flag, else the environment variable, else the default. */
    private static Duration duration(String flag, String value, String envVar, Map<String, String> env, Duration dflt) {
        String v = value != null ? value : env.get(envVar);
        String source = value != null ? flag : envVar;
        if (v == null || v.isBlank()) return dflt;
        try {
            return ConfigFactory.parseMap(Map.of("d", v.trim())).getDuration("d");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(source + ": '" + v + "' is not a duration (e.g. 500ms, 2s)");
        }
    }
}
