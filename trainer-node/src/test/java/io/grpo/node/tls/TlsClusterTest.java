package io.grpo.node.tls;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import io.grpo.node.NodeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Certificates from {@code deploy/gen-certs.sh}, made at test time: two nodes with the cluster
 * CA's certificates form a TLS cluster; a node whose certificate another CA signed (even though
 * it trusts the cluster CA) and a plain-TCP node never join it.
 */
class TlsClusterTest {
    private static final String PASSWORD = "test-only-" + Long.toHexString(System.nanoTime());
    private final List<ActorSystem<?>> systems = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (ActorSystem<?> s : systems) s.terminate();
        for (ActorSystem<?> s : systems) s.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void nodesOfTheClusterCaJoinAndOthersNeverDo(@TempDir Path tmp) throws Exception {
        Path cluster = tmp.resolve("cluster");
        Path other = tmp.resolve("other");
        genCerts(cluster, "node-a", "node-b");
        genCerts(other, "rogue");
        Path passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");

        int seedPort = freePort();
        String seed = "akka://grpo@127.0.0.1:" + seedPort;
        ActorSystem<Void> a = start(node(seedPort, List.of()).withTls(tls(cluster.resolve("node-a.p12"),
                cluster.resolve("truststore.p12"), passwordFile)));
        Cluster.get(a).manager().tell(Join.create(Cluster.get(a).selfMember().address()));
        ActorSystem<Void> b = start(node(0, List.of(seed)).withTls(tls(cluster.resolve("node-b.p12"),
                cluster.resolve("truststore.p12"), passwordFile)));
        awaitUp(a, 2, Duration.ofSeconds(60));
        awaitUp(b, 2, Duration.ofSeconds(60));

        // Signed by another CA, but trusting ours: only the seed's check of the client certificate stops it.
        ActorSystem<Void> rogue = start(node(0, List.of(seed)).withTls(tls(other.resolve("rogue.p12"),
                cluster.resolve("truststore.p12"), passwordFile)));
        ActorSystem<Void> plain = start(node(0, List.of(seed)));
        long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
        while (System.nanoTime() < deadline) {
            for (ActorSystem<Void> stranger : List.of(rogue, plain)) {
                assertNotEquals(MemberStatus.up(), Cluster.get(stranger).selfMember().status(),
                        stranger.address() + " must not join");
            }
            assertEquals(2, upMembers(a), "the cluster still has exactly its two nodes");
            Thread.sleep(500);
        }
        for (ActorSystem<Void> stranger : List.of(rogue, plain)) {
            boolean seen = StreamSupport.stream(Cluster.get(a).state().getMembers().spliterator(), false)
                    .anyMatch(m -> m.address().equals(Cluster.get(stranger).selfMember().address()));
            assertFalse(seen, stranger.address() + " is not even a joining member");
        }
    }

    @Test
    void withHostnameVerificationNodesWhoseCertificatesNameTheirAddressJoin(@TempDir Path tmp) throws Exception {
        genCerts(tmp, "node-a=ip:127.0.0.1", "node-b=ip:127.0.0.1", "unnamed");
        Map<String, String> env = Map.of(TlsSettings.PASSWORD_ENV, PASSWORD, TlsSettings.HOSTNAME_VERIFICATION_ENV, "on");
        TlsSettings a = TlsSettings.resolve(tmp.resolve("node-a.p12"), tmp.resolve("truststore.p12"), null, null, env);
        TlsSettings b = TlsSettings.resolve(tmp.resolve("node-b.p12"), tmp.resolve("truststore.p12"), null, null, env);
        assertTrue(a.isHostnameVerification());
        int seedPort = freePort();
        ActorSystem<Void> first = start(node(seedPort, List.of()).withTls(a));
        Cluster.get(first).manager().tell(Join.create(Cluster.get(first).selfMember().address()));
        ActorSystem<Void> second = start(node(0, List.of("akka://grpo@127.0.0.1:" + seedPort)).withTls(b));
        awaitUp(first, 2, Duration.ofSeconds(60));
        awaitUp(second, 2, Duration.ofSeconds(60));

        // Signed by the cluster CA but not naming 127.0.0.1: refused once names are checked.
        ActorSystem<Void> unnamed = start(node(0, List.of("akka://grpo@127.0.0.1:" + seedPort)).withTls(
                TlsSettings.resolve(tmp.resolve("unnamed.p12"), tmp.resolve("truststore.p12"), null, null, env)));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            assertNotEquals(MemberStatus.up(), Cluster.get(unnamed).selfMember().status(), "a certificate without the address");
            assertEquals(2, upMembers(first));
            Thread.sleep(500);
        }
    }

    @Test
    void badTlsSettingsNameTheProblem(@TempDir Path tmp) throws Exception {
        genCerts(tmp, "n");
        Path ks = tmp.resolve("n.p12"), ts = tmp.resolve("truststore.p12");
        Path wrong = tmp.resolve("wrong");
        Files.writeString(wrong, "not-the-password");
        assertMessage("with the password from file " + wrong, () -> TlsSettings.resolve(ks, ts, wrong, null, Map.of()));
        assertMessage("is not a readable file", () -> TlsSettings.resolve(tmp.resolve("missing.p12"), ts, wrong, null,
                Map.of()));
        assertMessage("keystore password", () -> TlsSettings.resolve(ks, ts, null, null, Map.of()));
        assertMessage("truststore too", () -> TlsSettings.resolve(ks, null, null, null,
                Map.of(TlsSettings.PASSWORD_ENV, PASSWORD)));
        assertMessage("must be on or off", () -> TlsSettings.resolve(ks, ts, null, null,
                Map.of(TlsSettings.PASSWORD_ENV, PASSWORD, TlsSettings.HOSTNAME_VERIFICATION_ENV, "maybe")));
        assertEquals(null, TlsSettings.resolve(null, null, null, null, Map.of()), "no keystore: plain TCP");
        // From the environment alone; the password is used but never shown.
        TlsSettings fromEnv = TlsSettings.resolve(null, null, null, null, Map.of(TlsSettings.KEYSTORE_ENV, ks.toString(),
                TlsSettings.TRUSTSTORE_ENV, ts.toString(), TlsSettings.PASSWORD_ENV, PASSWORD));
        assertFalse(fromEnv.toString().contains(PASSWORD));
        assertTrue(fromEnv.toString().contains(TlsSettings.PASSWORD_ENV));
        assertEquals("tls-tcp", fromEnv.akkaConfig().getString("akka.remote.artery.transport"));
        assertTrue(fromEnv.akkaConfig().getBoolean("akka.remote.artery.ssl.config-ssl-engine.require-mutual-authentication"));
        NodeConfig node = NodeConfig.resolve(null, null, List.of(), List.of(NodeConfig.WORKER_ROLE), 0, Map.of())
                .withTls(fromEnv);
        assertEquals("tls-tcp", node.akkaConfig().getString("akka.remote.artery.transport"));
        assertFalse(node.toString().contains(PASSWORD));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say '" + expected + "'");
        assertFalse(e.getMessage().contains(PASSWORD), "no password in messages");
    }

    private static TlsSettings tls(Path keyStore, Path trustStore, Path passwordFile) {
        return TlsSettings.resolve(keyStore, trustStore, passwordFile, null, Map.of());
    }

    private static NodeConfig node(int port, List<String> seeds) {
        return new NodeConfig("127.0.0.1", port, null, seeds, List.of(NodeConfig.WORKER_ROLE),
                NodeConfig.DEFAULT_MAX_FRAME_BYTES);
    }

    private ActorSystem<Void> start(NodeConfig node) {
        ActorSystem<Void> s = ActorSystem.create(Behaviors.empty(), NodeConfig.SYSTEM_NAME, node.akkaConfig());
        systems.add(s);
        return s;
    }

    private static long upMembers(ActorSystem<?> s) {
        return StreamSupport.stream(Cluster.get(s).state().getMembers().spliterator(), false)
                .map(Member::status).filter(MemberStatus.up()::equals).count();
    }

    private static void awaitUp(ActorSystem<?> s, int members, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (upMembers(s) < members) {
            if (System.nanoTime() > deadline) throw new AssertionError(s.address() + " saw " + upMembers(s) + " Up members, "
                    + "expected " + members);
            Thread.sleep(200);
        }
    }

    /** Runs the documented script, as a user would. */
    private static void genCerts(Path dir, String... nodes) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", Path.of("..", "deploy", "gen-certs.sh").toString(), dir.toString()));
        cmd.addAll(List.of(nodes));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("GRPO_TLS_PASSWORD", PASSWORD);
        pb.environment().put("KEYTOOL", Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gen-certs.sh finished");
        assertEquals(0, p.exitValue(), "gen-certs.sh failed: " + output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
