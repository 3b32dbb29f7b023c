package io.grpo.core.checkpoint;

import io.grpo.core.GrpoConfig;
import io.grpo.core.RobustMode;
import io.grpo.core.train.GrpoAgent;
import io.grpo.core.TestBatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointsTest {
    private final GrpoConfig config = GrpoConfig.builder().hiddenSizes(List.of(16, 16)).updateEpochs(2)
            .minibatchSize(32).groupRobustnessWeight(0.5).robustMode(RobustMode.DRO).seed(7).build();

    private GrpoAgent trainedAgent() {
        GrpoAgent agent = new GrpoAgent(4, 2, List.of("a", "b", "c"), config);
        agent.normalizer().update(new double[][]{{1, 2, 3, 4}, {0, -1, 2, 5}});
        agent.update(TestBatches.randomBatch(64, 3, 1), 1e-3);
        return agent;
    }

    @Test
    void roundTripRestoresIdenticalPolicyAndTrainingState(@TempDir Path dir) throws IOException {
        GrpoAgent agent = trainedAgent();
        Path file = dir.resolve("ckpt.bin");
        Checkpoints.save(agent, file);
        GrpoAgent restored = Checkpoints.load(file, config);

        assertArrayEquals(agent.net().parameters(), restored.net().parameters(), 0f);
        double[] state = {0.3, -1.2, 2.0, 4.5};
        assertEquals(agent.greedyAction(state), restored.greedyAction(state));
        float[] in = new float[4];
        agent.normalizer().normalize(state, in, 0);
        assertArrayEquals(agent.net().logits(agent.net().input(in, 1)), restored.net().logits(restored.net().input(in, 1)), 0.0);
        assertEquals(agent.learner().version(), restored.learner().version());
        assertArrayEquals(agent.learner().groupWeights().droState(), restored.learner().groupWeights().droState(), 0.0);

        // the optimizer state came back too: the next update is identical
        var next = TestBatches.randomBatch(64, 3, 2);
        agent.update(next, 1e-3);
        restored.update(next, 1e-3);
        assertArrayEquals(agent.net().parameters(), restored.net().parameters(), 0f);
        assertTrue(Files.list(dir).allMatch(p -> p.getFileName().toString().equals("ckpt.bin")), "no temp files left");
    }

    @Test
    void truncatedOrCorruptFilesAreDetected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ckpt.bin");
        Checkpoints.save(trainedAgent(), file);
        byte[] bytes = Files.readAllBytes(file);

        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IOException e1 = assertThrows(IOException.class, () -> Checkpoints.read(truncated));
        assertTrue(e1.getMessage().contains("checksum"), e1.getMessage());

        bytes[bytes.length / 3] ^= 0x40;
        Path corrupt = dir.resolve("corrupt.bin");
        Files.write(corrupt, bytes);
        assertThrows(IOException.class, () -> Checkpoints.read(corrupt));
    }

    @Test
    void newestValidSkipsDamagedNewerCheckpointsAndFallsBack(@TempDir Path dir) throws IOException {
        GrpoAgent agent = trainedAgent();
        for (int v = 1; v <= 3; v++) {
            Checkpoints.save(agent, dir.resolve(String.format("update-%06d.ckpt", v * 10)));
            agent.update(TestBatches.randomBatch(64, 3, v + 10), 1e-3);
        }
        Checkpoints.save(agent, dir.resolve("update-1000000.ckpt")); // past the zero padding: still the newest
        Files.writeString(dir.resolve("update-000040.ckpt12345.tmp"), "torn temp file"); // ignored
        Files.writeString(dir.resolve("best.ckpt"), "not periodic"); // ignored

        assertEquals("update-1000000.ckpt", Checkpoints.newestValid(dir).orElseThrow().file().getFileName().toString());

        truncate(dir.resolve("update-1000000.ckpt"));
        flipAByte(dir.resolve("update-000030.ckpt"));
        var found = Checkpoints.newestValid(dir).orElseThrow();
        assertEquals("update-000020.ckpt", found.file().getFileName().toString());
        assertArrayEquals(Checkpoints.read(dir.resolve("update-000020.ckpt")).learner().parameters(),
                found.contents().learner().parameters(), 0f);

        truncate(dir.resolve("update-000020.ckpt"));
        Files.write(dir.resolve("update-000010.ckpt"), new byte[0]);
        assertTrue(Checkpoints.newestValid(dir).isEmpty(), "nothing valid left");
        assertTrue(Checkpoints.newestValid(dir.resolve("missing")).isEmpty());
    }

    private static void truncate(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 100));
    }

    private static void flipAByte(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 0x01;
        Files.write(f, b);
    }
}
