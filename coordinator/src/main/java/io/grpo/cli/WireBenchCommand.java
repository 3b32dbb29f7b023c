package io.grpo.cli;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import com.typesafe.config.ConfigFactory;
import io.grpo.core.policy.ObservationNormalizer;
import io.grpo.protocol.LearnerProtocol;
import io.grpo.protocol.WorkerProtocol;
import io.grpo.scenarios.hospital.HospitalSimulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

@Command(name = "wire", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Kryo wire format: size and serialize + deserialize time of hospital trajectory batches, "
                + "through Akka's serialization.")
final class WireBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "2000",
            description = "Round trips per batch size, after as many for warm-up (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() throws Exception {
        if (iterations < 10) throw new CommandLine.ParameterException(spec.commandLine(), "--iterations must be >= 10");
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "grpo-bench",
                ConfigFactory.parseString("akka.actor.provider = local\nakka.loglevel = WARNING")
                        .withFallback(ConfigFactory.load()));
        try {
            Serialization serialization = SerializationExtension.get(Adapter.toClassic(system));
            PrintWriter w = spec.commandLine().getOut();
            w.printf("%-12s %12s %14s %14s %12s%n", "samples", "bytes", "us/round trip", "samples/s", "MB/s");
            for (int samples : new int[]{512, 2_048, 8_192}) {
                LearnerProtocol.TrajectoryBatch batch = batch(system.ignoreRef(), samples);
                int id = serialization.findSerializerFor(batch).identifier();
                int bytes = 0;
                for (int i = 0; i < iterations; i++) bytes = roundTrip(serialization, batch, id);
                long start = System.nanoTime();
                for (int i = 0; i < iterations; i++) roundTrip(serialization, batch, id);
                double seconds = (System.nanoTime() - start) / 1e9;
                double perTrip = seconds / iterations;
                w.printf(Locale.ROOT, "%-12d %,12d %14.1f %,14.0f %12.1f%n", samples, bytes, perTrip * 1e6,
                        samples / perTrip, bytes / perTrip / 1e6);
                w.flush();
            }
        } finally {
            system.terminate();
        }
        return 0;
    }

    static int roundTrip(Serialization s, Object message, int id) {
        byte[] bytes = s.serialize(message).get();
        s.deserialize(bytes, id, "").get();
        return bytes.length;
    }

    /** A batch shaped like a hospital worker's, with random contents. */
    static LearnerProtocol.TrajectoryBatch batch(akka.actor.typed.ActorRef<WorkerProtocol.Command> ref, int n) {
        int d = HospitalSimulator.OBSERVATION_SIZE;
        SplittableRandom rng = new SplittableRandom(7);
        float[] obs = new float[n * d];
        for (int i = 0; i < obs.length; i++) obs[i] = (float) rng.nextGaussian();
        int[] actions = new int[n], groups = new int[n];
        float[] f1 = new float[n], f2 = new float[n], f3 = new float[n], f4 = new float[n], f5 = new float[n];
        boolean[] term = new boolean[n], trunc = new boolean[n];
        long[] masks = new long[n];
        for (int i = 0; i < n; i++) {
            actions[i] = rng.nextInt(HospitalSimulator.ACTIONS);
            groups[i] = rng.nextInt(3);
            masks[i] = rng.nextLong(1L << HospitalSimulator.ACTIONS) | 1L << actions[i];
            f1[i] = (float) rng.nextGaussian();
            f2[i] = (float) rng.nextGaussian();
            f3[i] = (float) rng.nextGaussian();
            f4[i] = (float) rng.nextGaussian();
            f5[i] = (float) rng.nextGaussian();
        }
        var moments = new ObservationNormalizer.State(new double[d], new double[d], n);
        return new LearnerProtocol.TrajectoryBatch(ref, "bench/urban-0", "urban", "shared", 3, 1, d, obs, actions, f1,
                term, trunc, f2, f3, f4, f5, groups, masks, moments, new float[]{300f}, new int[]{720}, 0, 0);
    }
}
