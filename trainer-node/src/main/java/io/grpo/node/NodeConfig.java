package io.grpo.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.grpo.node.tls.TlsSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a node listens, whom it joins and what it does: the Akka settings that differ per
 * node, on top of {@code reference.conf} / {@code application.conf}.
 *
 * @param host           canonical host other nodes reach this one at
 * @param port           Artery port; 0 picks a free one
 * @param bindHost       interface to bind (e.g. 0.0.0.0 in a container), or null for {@code host}
 * @param seedNodes      full addresses ({@code akka://grpo@host:port}); empty: this node starts the cluster
 * @param roles          {@code coordinator}, {@code worker}, or both
 * @param maxFrameBytes  Artery's maximum frame, i.e. the largest message this node sends or receives
 * @param failureDetection how fast a dead node is noticed and downed
 * @param tls            TLS 1.3 with mutual authentication, or null for plain TCP
 */
public record NodeConfig(String host, int port, String bindHost, List<String> seedNodes, List<String> roles,
                         long maxFrameBytes, FailureDetection failureDetection, TlsSettings tls) {
    public static final String SYSTEM_NAME = "grpo";
    public static final String COORDINATOR_ROLE = "coordinator";
    public static final String WORKER_ROLE = "worker";
    public static final int DEFAULT_COORDINATOR_PORT = 2552;
    /** Room for 8,192-sample hospital batches; Akka's default (256 KiB) holds about 1,300. */
    public static final long DEFAULT_MAX_FRAME_BYTES = 2L * 1024 * 1024;


    public NodeConfig {
        seedNodes = List.copyOf(seedNodes);
        roles = List.copyOf(roles);
        if (failureDetection == null) failureDetection = FailureDetection.DEFAULT;
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        if (maxFrameBytes < 32 * 1024 || maxFrameBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("frame size must be in [32 KiB, 2 GiB), got " + maxFrameBytes);
        }
    }

    /** A plain-TCP node with the default failure detection. */
    public NodeConfig(String host, int port, String bindHost, List<String> seedNodes, List<String> roles,
                      long maxFrameBytes) {
        this(host, port, bindHost, seedNodes, roles, maxFrameBytes, FailureDetection.DEFAULT, null);
    }

    /**
     * Flags first, then the environment ({@code GRPO_HOST}, {@code GRPO_PORT},
     * {@code GRPO_SEED_NODES}, {@code GRPO_BIND_HOST}), then defaults. Seed nodes may be given as
     * {@code host:port}. Plain TCP; add TLS with {@link #withTls}.
     */
    public static NodeConfig resolve(String host, Integer port, List<String> seedNodes, List<String> roles,
                                     int defaultPort, Map<String, String> env) {
        String h = host != null ? host : env.getOrDefault("GRPO_HOST", "127.0.0.1");
        int p;
        if (port != null) {
            p = port;
        } else if (env.containsKey("GRPO_PORT")) {
            try {
                p = Integer.parseInt(env.get("GRPO_PORT").trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("GRPO_PORT must be a port number, got '" + env.get("GRPO_PORT") + "'");
            }
        } else {
            p = defaultPort;
        }
        List<String> seeds = new ArrayList<>();
        List<String> given = seedNodes != null && !seedNodes.isEmpty() ? seedNodes
                : env.containsKey("GRPO_SEED_NODES") ? List.of(env.get("GRPO_SEED_NODES").split(",")) : List.of();
        for (String s : given) if (!s.isBlank()) seeds.add(seedAddress(s.trim()));
        return new NodeConfig(h, p, env.get("GRPO_BIND_HOST"), seeds, roles, DEFAULT_MAX_FRAME_BYTES);
    }

    /** {@code host:port} or a full {@code akka://grpo@host:port} address. */
    public static String seedAddress(String s) {
        if (s.startsWith("akka://")) {
            if (!s.startsWith("akka://" + SYSTEM_NAME + "@")) {
                throw new IllegalArgumentException("seed node '" + s + "' is not a '" + SYSTEM_NAME + "' system");
            }
            return s;
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) throw new IllegalArgumentException("seed node '" + s + "' is not host:port");
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            if (port < 1 || port > 65_535) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed node '" + s + "' has no valid port");
        }
        return "akka://" + SYSTEM_NAME + "@" + s;
    }

    public NodeConfig withMaxFrameBytes(long bytes) {
        return new NodeConfig(host, port, bindHost, seedNodes, roles, bytes, failureDetection, tls);
    }

    public NodeConfig withSeedNodes(List<String> seeds) {
        return new NodeConfig(host, port, bindHost, seeds, roles, maxFrameBytes, failureDetection, tls);
    }

    public NodeConfig withTls(TlsSettings settings) {
        return new NodeConfig(host, port, bindHost, seedNodes, roles, maxFrameBytes, failureDetection, settings);
    }

    public NodeConfig withFailureDetection(FailureDetection f) {
        return new NodeConfig(host, port, bindHost, seedNodes, roles, maxFrameBytes, f, tls);
    }

    /** This node's settings layered over the application's and the libraries' configuration. */
    public Config akkaConfig() {
        Config own = ConfigFactory.empty()
                .withValue("akka.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
                .withValue("akka.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
                .withValue("akka.remote.artery.advanced.maximum-frame-size", ConfigValueFactory.fromAnyRef(maxFrameBytes + "b"))
                .withValue("akka.cluster.seed-nodes", ConfigValueFactory.fromIterable(seedNodes))
                .withValue("akka.cluster.roles", ConfigValueFactory.fromIterable(roles));
        if (bindHost != null && !bindHost.isBlank()) {
            own = own.withValue("akka.remote.artery.bind.hostname", ConfigValueFactory.fromAnyRef(bindHost))
                    .withValue("akka.remote.artery.bind.port", ConfigValueFactory.fromAnyRef(port));
        }
        own = failureDetection.applyTo(own);
        if (tls != null) own = own.withFallback(tls.akkaConfig());
        return own.withFallback(ConfigFactory.load());
    }
}
