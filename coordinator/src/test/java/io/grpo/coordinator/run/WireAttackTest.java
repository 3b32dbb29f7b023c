package io.grpo.coordinator.run;

import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.ExtendedActorSystem;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.esotericsoftware.kryo.io.Output;
import com.typesafe.config.ConfigFactory;
import io.grpo.core.GrpoConfig;
import io.grpo.core.policy.HiddenActivation;
import io.grpo.core.train.TrainingListener;
import io.grpo.core.train.UpdateReport;
import io.grpo.node.NodeConfig;
import io.grpo.node.WorkerNode;
import io.grpo.node.worker.RolloutWorker;
import io.grpo.scenarios.EnvironmentCatalog;
import io.grpo.scenarios.EnvironmentSpec;
import io.grpo.scenarios.hospital.HospitalSimulator;
import io.grpo.scenarios.hospital.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input on the wire, against a running coordinator node mid-run: raw garbage on its Artery
 * port, an oversized frame, and well-formed Artery envelopes whose payloads lie to Kryo (a
 * 2^31-element array, an unregistered class id, a class name) or use Java serialization.
 * Each must be logged and dropped; the node stays up and the run completes every update.
 */
class WireAttackTest {
    private static final int UPDATES = 6;
    private static final int ATTACK_AT = 2;

    @Test
    void garbageOversizedAndLyingMessagesAreDroppedAndTrainingGoesOn(@TempDir Path tmp) throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger akka = (Logger) LoggerFactory.getLogger("akka");
        var akkaLevel = akka.getLevel();
        akka.setLevel(ch.qos.logback.classic.Level.WARN);
        root.addAppender(log);
        try {
            run(tmp, log);
        } finally {
            root.detachAppender(log);
            akka.setLevel(akkaLevel);
        }
    }

    private void run(Path tmp, ListAppender<ILoggingEvent> log) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        GrpoConfig config = EnvironmentCatalog.hospitalDefaults().toBuilder().hiddenSizes(List.of(16))
                .activation(HiddenActivation.RELU).rolloutSteps(16).minibatchSize(32).updateEpochs(1).seed(3).build();
        Map<String, EnvironmentSpec> scenarios = new LinkedHashMap<>();
        scenarios.put("urban", EnvironmentCatalog.hospital(ScenarioLoader.preset("urban")));
        ClusterTrainingRun.Plan plan = new ClusterTrainingRun.Plan(scenarios, ClusterTrainingRun.PolicyLayout.SHARED,
                ClusterTrainingRun.Grouping.DEMOGRAPHIC, config, UPDATES, 32, 2, 0, 2, 2, 2, 0);
        NodeConfig coordinator = new NodeConfig("127.0.0.1", port, null, List.of(), List.of(NodeConfig.COORDINATOR_ROLE),
                NodeConfig.DEFAULT_MAX_FRAME_BYTES);
        WorkerNode.Handle worker = worker("akka://grpo@127.0.0.1:" + port);

        // The learner pauses at update ATTACK_AT while the attack runs, so the rest of the run provably comes after it.
        CompletableFuture<Void> attackNow = new CompletableFuture<>();
        CompletableFuture<Void> attackDone = new CompletableFuture<>();
        AtomicInteger updates = new AtomicInteger();
        AtomicLong updatesAfterAttack = new AtomicLong();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onUpdate(UpdateReport r) {
                int n = updates.incrementAndGet();
                if (attackDone.isDone()) updatesAfterAttack.incrementAndGet();
                if (n == ATTACK_AT) {
                    attackNow.complete(null);
                    attackDone.orTimeout(3, TimeUnit.MINUTES).join();
                }
            }
        };
        RunDirectory dir = RunDirectory.create(tmp.resolve("run"));
        CompletableFuture<ClusterSummary> training = CompletableFuture.supplyAsync(() -> {
            try {
                return new ClusterTrainingRun(plan, coordinator).run(dir, listener, Duration.ofMinutes(5));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        int deserializationFailuresBefore;
        try {
            CompletableFuture.anyOf(attackNow, training).get(3, TimeUnit.MINUTES);
            if (!attackNow.isDone()) throw new AssertionError("the run ended before the attack: " + training.join());
            deserializationFailuresBefore = count(log, "Failed to deserialize");
            attack(port);
            // Artery logs each refused payload; wait until all envelope attacks have been seen.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count(log, "Failed to deserialize") - deserializationFailuresBefore < LYING_PAYLOADS
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        } finally {
            attackDone.complete(null);
        }
        ClusterSummary summary = training.get(5, TimeUnit.MINUTES);

        assertEquals(UPDATES, summary.cluster().policyVersion(), "the run completed every update");
        assertEquals(UPDATES - ATTACK_AT, updatesAfterAttack.get(), "updates went on after the attack");
        assertTrue(count(log, "Failed to deserialize") - deserializationFailuresBefore >= LYING_PAYLOADS,
                "each lying payload reached the node and was refused; log: " + messages(log));
        assertTrue(messages(log).stream().noneMatch(m -> m.contains("OutOfMemoryError")), "no OutOfMemoryError");
        worker.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertTrue(worker.finished().get(), "the worker was told the run finished");
    }

    /** Envelopes whose payload Kryo must refuse (see {@link #attack}). */
    private static final int LYING_PAYLOADS = 5;

    private static void attack(int port) throws Exception {
        // 1. Raw bytes on the port: not even an Artery connection header.
        rawSocket(port, "GRPO!!\n".getBytes(StandardCharsets.US_ASCII));
        byte[] noise = new byte[64 * 1024];
        new Random(1).nextBytes(noise);
        rawSocket(port, noise);
        // 2. A valid connection header, then a frame larger than the node's maximum frame, full of noise.
        int oversized = (int) NodeConfig.DEFAULT_MAX_FRAME_BYTES + 1024 * 1024;
        ByteBuffer frame = ByteBuffer.allocate(5 + 4 + oversized).order(ByteOrder.LITTLE_ENDIAN);
        frame.put("AKKA".getBytes(StandardCharsets.US_ASCII)).put((byte) 2).putInt(oversized);
        byte[] body = new byte[oversized];
        new Random(2).nextBytes(body);
        frame.put(body);
        rawSocket(port, frame.array());

        // 3. Well-formed Artery envelopes from a stranger's actor system, with payloads that lie to Kryo.
        ActorSystem stranger = ActorSystem.create("stranger", ConfigFactory.parseString("""
                akka.actor.provider = remote
                akka.remote.artery.canonical.hostname = 127.0.0.1
                akka.remote.artery.canonical.port = 0
                akka.remote.artery.advanced.maximum-frame-size = 8MiB
                akka.actor.allow-java-serialization = on
                akka.actor.warn-about-java-serializer-usage = off
                akka.actor.serializers.grpo-kryo = "io.grpo.coordinator.run.RawBytesSerializer"
                akka.actor.serialization-bindings {
                  "io.grpo.coordinator.run.RawBytesSerializer$Payload" = grpo-kryo
                  "java.io.Serializable" = java
                }
                akka.loglevel = ERROR
                """).withFallback(ConfigFactory.load()));
        try {
            ActorRef target = ((ExtendedActorSystem) stranger).provider()
                    .resolveActorRef("akka://grpo@127.0.0.1:" + port + "/user/anyone");
            List<byte[]> lies = new ArrayList<>();
            lies.add(lengthLie(103)); // float[] (4th registered class) claiming 2^31 - 2 elements: the 6-byte OOM
            lies.add(lengthLie(104)); // double[]
            Output unregistered = new Output(16, -1);
            unregistered.writeVarInt(5_000 + 2, true);
            lies.add(unregistered.toBytes());
            Output className = new Output(64, -1);
            className.writeVarInt(1, true);
            className.writeVarInt(0, true);
            className.writeString("java.lang.ProcessBuilder");
            lies.add(className.toBytes());
            byte[] big = new byte[(int) NodeConfig.DEFAULT_MAX_FRAME_BYTES + 512 * 1024]; // bigger than the node's frame
            new Random(3).nextBytes(big);
            lies.add(big);
            for (byte[] lie : lies) target.tell(new RawBytesSerializer.Payload(lie), ActorRef.noSender());
            // A message of a class the node has no serializer for: Java serialization is off there.
            target.tell(new java.util.ArrayList<>(List.of("calc.exe")), ActorRef.noSender());
            Thread.sleep(3_000); // let the outbound stream flush before the stranger leaves
        } finally {
            stranger.terminate();
            stranger.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** A message starting with a registered array id and a length of 2^31 - 2. */
    private static byte[] lengthLie(int registeredId) {
        Output out = new Output(16, -1);
        out.writeVarInt(registeredId + 2, true);
        out.writeVarInt(Integer.MAX_VALUE, true);
        return out.toBytes();
    }

    private static void rawSocket(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
            out.write(bytes);
            out.flush();
        }
    }

    private static int count(ListAppender<ILoggingEvent> log, String text) {
        return (int) messages(log).stream().filter(m -> m.contains(text)).count();
    }

    private static List<String> messages(ListAppender<ILoggingEvent> log) {
        synchronized (log) {
            return log.list.stream().map(e -> e.getFormattedMessage()
                    + (e.getThrowableProxy() != null ? " " + e.getThrowableProxy().getClassName() : "")).toList();
        }
    }

    private static WorkerNode.Handle worker(String seed) {
        NodeConfig node = new NodeConfig("127.0.0.1", 0, null, List.of(seed), List.of(NodeConfig.WORKER_ROLE),
                NodeConfig.DEFAULT_MAX_FRAME_BYTES);
        var sc = ScenarioLoader.preset("urban");
        var spec = new RolloutWorker.Spec("urban-node/0", "urban", () -> new HospitalSimulator(sc), 2, 11, 2,
                Duration.ofMillis(500), Duration.ofSeconds(30));
        return WorkerNode.start(node.akkaConfig(), List.of(new WorkerNode.Assignment(spec, "shared")));
    }
}
