package io.grpo.cli;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.SerializationExtension;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.grpo.node.NodeConfig;
import io.grpo.node.tls.TlsSettings;
import io.grpo.protocol.LearnerProtocol;
import io.grpo.protocol.WorkerProtocol;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

@Command(name = "transport", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Hospital trajectory batches from one node to another over loopback, each acknowledged as the "
                + "learner does, with a worker's in-flight window: plain TCP, and TLS when --certs is given.",
                "Both nodes run in this JVM, so they share its cores."},
        footer = {"", "Example:", "  deploy/gen-certs.sh /tmp/bench-certs bench-a bench-b",
                "  grpo bench transport --certs /tmp/bench-certs"})
final class TransportBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--batches", paramLabel = "N", defaultValue = "300",
            description = "Measured batches per transport, after N/4 for warm-up (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--samples", paramLabel = "S", defaultValue = "2048",
            description = "Samples per batch (default: ${DEFAULT-VALUE}, a worker's 16 envs x 128 steps).")
    int samples;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "2",
            description = "Unacknowledged batches at a time, as a worker (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--certs", paramLabel = "DIR",
            description = "Output of deploy/gen-certs.sh with nodes bench-a and bench-b (password from DIR/password "
                    + "or GRPO_TLS_PASSWORD_FILE / GRPO_TLS_PASSWORD); adds the TLS row.")
    Path certs;

    @Override
    public Integer call() throws Exception {
        if (batches < 10) throw usage("--batches must be >= 10, got " + batches);
        if (samples < 1 || samples > 6_000) throw usage("--samples must be in [1, 6000] (the 2 MiB frame), got " + samples);
        if (maxInFlight < 1) throw usage("--max-in-flight must be >= 1, got " + maxInFlight);
        List<String> rows = new ArrayList<>(List.of("plain"));
        TlsSettings tlsA = null, tlsB = null;
        if (certs != null) {
            Map<String, String> env = new java.util.HashMap<>(System.getenv());
            if (!env.containsKey(TlsSettings.PASSWORD_FILE_ENV) && !env.containsKey(TlsSettings.PASSWORD_ENV)
                    && Files.isRegularFile(certs.resolve("password"))) {
                env.put(TlsSettings.PASSWORD_FILE_ENV, certs.resolve("password").toString());
            }
            try {
                tlsA = TlsSettings.resolve(certs.resolve("bench-a.p12"), certs.resolve("truststore.p12"), null, null, env);
                tlsB = TlsSettings.resolve(certs.resolve("bench-b.p12"), certs.resolve("truststore.p12"), null, null, env);
            } catch (IllegalArgumentException e) {
                throw usage("--certs: " + e.getMessage());
            }
            rows.add("tls");
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%d batches of %,d samples, %d in flight, loopback, both nodes in one JVM%n", batches, samples,
                maxInFlight);
        w.printf("%-10s %12s %12s %14s %10s%n", "transport", "bytes/batch", "batches/s", "samples/s", "MB/s");
        for (String row : rows) {
            boolean tls = row.equals("tls");
            measure(w, row, tls ? tlsA : null, tls ? tlsB : null);
        }
        return 0;
    }

    private void measure(PrintWriter w, String name, TlsSettings tlsSender, TlsSettings tlsReceiver) throws Exception {
        Semaphore window = new Semaphore(maxInFlight);
        ActorSystem<LearnerProtocol.Command> receiver = ActorSystem.create(
                Behaviors.receive(LearnerProtocol.Command.class)
                        .onMessage(LearnerProtocol.TrajectoryBatch.class, b -> {
                            b.replyTo().tell(new WorkerProtocol.BatchAck(b.sequence(), WorkerProtocol.AckStatus.ACCEPTED));
                            return Behaviors.same();
                        }).build(),
                NodeConfig.SYSTEM_NAME, config(tlsReceiver));
        ActorSystem<WorkerProtocol.Command> sender = ActorSystem.create(
                Behaviors.receive(WorkerProtocol.Command.class)
                        .onMessage(WorkerProtocol.BatchAck.class, a -> {
                            window.release();
                            return Behaviors.same();
                        }).build(),
                NodeConfig.SYSTEM_NAME, config(tlsSender));
        try {
            ActorRef<LearnerProtocol.Command> learner = ActorRefResolver.get(sender).resolveActorRef(
                    receiver.address() + "/user");
            LearnerProtocol.TrajectoryBatch batch = WireBenchCommand.batch(sender, samples);
            int bytes = SerializationExtension.get(Adapter.toClassic(sender)).serialize(batch).get().length;
            send(learner, batch, window, batches / 4);
            long start = System.nanoTime();
            send(learner, batch, window, batches);
            double seconds = (System.nanoTime() - start) / 1e9;
            w.printf(Locale.ROOT, "%-10s %,12d %12.1f %,14.0f %10.1f%n", name, bytes, batches / seconds,
                    (double) batches * samples / seconds, (double) batches * bytes / seconds / 1e6);
            w.flush();
        } finally {
            sender.terminate();
            sender.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            receiver.terminate();
            receiver.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Sends n batches, at most the window unacknowledged, and waits for the last ack. */
    private void send(ActorRef<LearnerProtocol.Command> learner, LearnerProtocol.TrajectoryBatch batch, Semaphore window,
                      int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            if (!window.tryAcquire(60, TimeUnit.SECONDS)) throw new IllegalStateException("no ack for 60 s");
            learner.tell(batch);
        }
        if (!window.tryAcquire(maxInFlight, 60, TimeUnit.SECONDS)) throw new IllegalStateException("no ack for 60 s");
        window.release(maxInFlight);
    }

    private static Config config(TlsSettings tls) {
        NodeConfig node = new NodeConfig("127.0.0.1", 0, null, List.of(), List.of(NodeConfig.WORKER_ROLE),
                NodeConfig.DEFAULT_MAX_FRAME_BYTES).withTls(tls);
        return ConfigFactory.parseString("akka.loglevel = ERROR\nakka.stdout-loglevel = OFF").withFallback(node.akkaConfig());
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
