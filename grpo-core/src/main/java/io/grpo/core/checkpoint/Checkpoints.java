package io.grpo.core.checkpoint;

import io.grpo.core.GrpoConfig;
import io.grpo.core.policy.HiddenActivation;
import io.grpo.core.policy.ObservationNormalizer;
import io.grpo.core.train.GrpoAgent;
import io.grpo.core.update.LearnerState;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Binary checkpoints of an agent: architecture, group names, observation normaliser, and the
 * learner's parameters, Adam moments, DRO weights and version.
 *
 * <p>Written atomically (temp file, fsync, rename) and ending in a CRC32 of everything
 * before it, so a torn or corrupted file is detected on load rather than half-read.
 */
public final class Checkpoints {
    private static final long MAGIC = 0x4752504F434B5054L; // "GRPOCKPT"
    private static final int FORMAT = 1;

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

    private Checkpoints() {}

    /** What a checkpoint holds. */
    public record Contents(int observationSize, int actionCount, List<Integer> hiddenSizes, HiddenActivation activation,
                           List<String> groupNames,
                           ObservationNormalizer.State normalizer, LearnerState learner) {}

    public static void save(GrpoAgent agent, Path file) throws IOException {
        Contents c = new Contents(agent.net().observationSize(), agent.net().actionCount(), agent.net().hiddenSizes(),
                agent.net().activation(), agent.groupNames(), agent.normalizer().state(), agent.learner().state());
        write(c, file);
    }

    /** Rebuilds an agent with the given (run) config and the checkpoint's learned state. */
    public static GrpoAgent load(Path file, GrpoConfig config) throws IOException {
        Contents c = read(file);
        if (!c.hiddenSizes().equals(config.hiddenSizes()) || c.activation() != config.activation()) {
            throw new IOException(file + ": checkpoint has " + c.activation().label() + " hidden layers " + c.hiddenSizes()
                    + ", config has " + config.activation().label() + " " + config.hiddenSizes());
        }
        GrpoAgent agent = new GrpoAgent(c.observationSize(), c.actionCount(), c.groupNames(), config);
        agent.normalizer().restore(c.normalizer());
        agent.learner().restore(c.learner());
        return agent;
    }

    public static void write(Contents c, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(c.observationSize());
            out.writeInt(c.actionCount());
            out.writeInt(c.hiddenSizes().size());
            for (int h : c.hiddenSizes()) out.writeInt(h);
            out.writeUTF(c.activation().label());
            out.writeInt(c.groupNames().size());
            for (String g : c.groupNames()) out.writeUTF(g);
            writeDoubles(out, c.normalizer().mean());
            writeDoubles(out, c.normalizer().var());
            out.writeDouble(c.normalizer().count());
            LearnerState s = c.learner();
            out.writeLong(s.version());
            out.writeInt(s.adamSteps());
            out.writeInt(s.parameters().length);
            for (float p : s.parameters()) out.writeFloat(p);
            writeDoubles(out, s.policyOptimizer());
            writeDoubles(out, s.valueOptimizer());
            writeDoubles(out, s.groupWeights());
        }
        byte[] body = bytes.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(body));
                ch.write(java.nio.ByteBuffer.allocate(8).putLong(0, crc.getValue()));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static Contents read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 20) throw new IOException(file + ": not a GRPO checkpoint (too short)");
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = java.nio.ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) throw new IOException(file + ": checkpoint checksum mismatch (truncated or corrupt)");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8))) {
            if (in.readLong() != MAGIC) throw new IOException(file + ": not a GRPO checkpoint");
            int format = in.readInt();
            if (format != FORMAT) throw new IOException(file + ": checkpoint format " + format + ", expected " + FORMAT);
            int obs = in.readInt();
            int actions = in.readInt();
            List<Integer> hidden = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) hidden.add(in.readInt());
            HiddenActivation activation = HiddenActivation.parse(in.readUTF());
            List<String> groups = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) groups.add(in.readUTF());
            double[] mean = readDoubles(in);
            double[] var = readDoubles(in);
            double count = in.readDouble();
            long version = in.readLong();
            int adamSteps = in.readInt();
            float[] params = new float[in.readInt()];
            for (int i = 0; i < params.length; i++) params[i] = in.readFloat();
            double[] pOpt = readDoubles(in);
            double[] vOpt = readDoubles(in);
            double[] q = readDoubles(in);
            return new Contents(obs, actions, hidden, activation, groups, new ObservationNormalizer.State(mean, var, count),
                    new LearnerState(version, adamSteps, params, pOpt, vOpt, q));
        }
    }

    /** A checkpoint that read back intact. */
    public record Found(Path file, Contents contents) {}

    /** File names of periodic checkpoints: {@code update-<version>.ckpt}. */
    public static final String PERIODIC_PATTERN = "update-\\d+\\.ckpt";

    /**
     * The newest periodic checkpoint in {@code dir} that passes its checksum, or empty when there
     * is none. A damaged newer one (torn write, disk corruption) is skipped with a warning naming
     * it, so a restart falls back to the previous valid checkpoint instead of failing or half-reading.
     */
    public static Optional<Found> newestValid(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return Optional.empty();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches(PERIODIC_PATTERN))
                    .sorted(Comparator.comparingLong(Checkpoints::versionInName).reversed()).toList();
        }
        for (Path f : files) {
            try {
                return Optional.of(new Found(f, read(f)));
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping damaged checkpoint: {}; falling back to the previous one", e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static long versionInName(Path p) {
        String n = p.getFileName().toString();
        try {
            return Long.parseLong(n.substring("update-".length(), n.length() - ".ckpt".length()));
        } catch (NumberFormatException e) {
            return -1; // more digits than a long: oldest
        }
    }

    private static void writeDoubles(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) out.writeDouble(v);
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        double[] a = new double[in.readInt()];
        for (int i = 0; i < a.length; i++) a[i] = in.readDouble();
        return a;
    }
}
