package io.grpo.protocol;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import com.esotericsoftware.kryo.io.Output;
import com.typesafe.config.ConfigFactory;
import io.grpo.core.policy.ObservationNormalizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every wire message survives Akka's own serialization, through the Kryo serializer. */
class KryoWireSerializerTest {
    private static ActorTestKit kit;
    private static Serialization serialization;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("grpo", ConfigFactory.parseString("""
                akka.actor.provider = cluster
                akka.remote.artery.canonical.hostname = 127.0.0.1
                akka.remote.artery.canonical.port = 0
                """).withFallback(ConfigFactory.load()));
        serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private static List<WireMessage> samples() {
        TestProbe<WorkerProtocol.Command> worker = kit.createTestProbe();
        ObservationNormalizer.State moments = new ObservationNormalizer.State(new double[]{1, 2}, new double[]{0.5, 3}, 17);
        WorkerProtocol.PolicyWeights weights = new WorkerProtocol.PolicyWeights("shared", 7, new float[]{1.5f, -2f, 3e-8f},
                moments);
        RolloutSettings settings = new RolloutSettings(128, 0.99, 0.95, 0.1, true, false, true, 10, new int[]{64, 64}, "relu",
                3, 12, 2_097_152);
        return List.of(
                settings,
                new LearnerProtocol.RegisterWorker(worker.getRef(), "node-1/urban-0", "urban", 2, 10, 16),
                new LearnerProtocol.TrajectoryBatch(worker.getRef(), "node-1/urban-0", "urban", "shared", 6, 42, 2,
                        new float[]{0.1f, 0.2f, 0.3f, 0.4f}, new int[]{3, 9}, new float[]{1f, -0.5f},
                        new boolean[]{false, true}, new boolean[]{true, false}, new float[]{-1.2f, -0.1f},
                        new float[]{0.7f, 0.8f}, new float[]{0.05f, -0.02f}, new float[]{0.75f, 0.78f}, new int[]{1, 2},
                        new long[]{0x3FFL, 1L << 9}, moments, new float[]{312.5f}, new int[]{720}, 123_456_789L, 45_678L),
                new WorkerProtocol.Welcome("run-1", settings, weights),
                new WorkerProtocol.Rejected("scenario 'mars' is not part of this run"),
                weights,
                new WorkerProtocol.BatchAck(42, WorkerProtocol.AckStatus.STALE),
                new WorkerProtocol.Stop("run finished"));
    }

    @Test
    void everyMessageRoundTripsThroughAkkaSerialization() throws Exception {
        Set<Class<?>> covered = new HashSet<>();
        for (WireMessage m : samples()) {
            Serializer serializer = serialization.findSerializerFor(m);
            assertInstanceOf(KryoWireSerializer.class, serializer, m.getClass().getSimpleName());
            assertEquals(KryoWireSerializer.IDENTIFIER, serializer.identifier());
            byte[] bytes = serialization.serialize(m).get();
            Object back = serialization.deserialize(bytes, serializer.identifier(), "").get();
            assertDeepEquals(m, back);
            covered.add(m.getClass());
        }
        assertEquals(Set.copyOf(WireRegistry.messageClasses()), covered, "a sample of every registered message");
    }

    @Test
    void everyProtocolRecordIsRegistered() {
        for (Class<?> outer : List.of(LearnerProtocol.class, WorkerProtocol.class)) {
            for (Class<?> c : outer.getDeclaredClasses()) {
                if (WireMessage.class.isAssignableFrom(c)) {
                    assertTrue(WireRegistry.CLASSES.contains(c), c.getName() + " is a wire message but not registered");
                }
            }
        }
    }

    @Test
    void unregisteredClassesAndJavaSerializationAreRefused() {
        record NotRegistered(int x) implements WireMessage {}
        assertThrows(IllegalArgumentException.class, () -> serialization.serialize(new NotRegistered(1)).get());
        // Java serialization is off: a plain Serializable has no serializer.
        record Plain(int x) implements Serializable {}
        assertThrows(Exception.class, () -> serialization.serialize(new Plain(1)).get());
    }

    @Test
    void garbageBytesFailCleanly() {
        Serializer serializer = serialization.findSerializerFor(new WorkerProtocol.Stop("x"));
        byte[] stop = serialization.serialize(new WorkerProtocol.Stop("x")).get();
        byte[] truncated = java.util.Arrays.copyOf(stop, stop.length - 1);
        assertThrows(Exception.class, () -> serialization.deserialize(truncated, serializer.identifier(), "").get());
        byte[] unknownId = {(byte) 0x7F, 1, 2, 3};
        assertThrows(Exception.class, () -> serialization.deserialize(unknownId, serializer.identifier(), "").get());
        byte[] trailing = java.util.Arrays.copyOf(stop, stop.length + 3);
        assertThrows(Exception.class, () -> serialization.deserialize(trailing, serializer.identifier(), "").get());
    }

    @Test
    void javaSerializationIsDisabledInTheActorSystemSettings() {
        assertFalse(Adapter.toClassic(kit.system()).settings().AllowJavaSerialization(),
                "akka.actor.allow-java-serialization must be off");
    }

    /** A message that starts with the registered id of {@code type}, as Kryo writes it. */
    private static Output startOf(Class<?> type) {
        Output out = new Output(64, -1);
        out.writeVarInt(WireRegistry.FIRST_ID + WireRegistry.CLASSES.indexOf(type) + 2, true);
        return out;
    }

    private static Throwable refused(byte[] bytes) {
        Throwable t = assertThrows(Throwable.class,
                () -> serialization.deserialize(bytes, KryoWireSerializer.IDENTIFIER, "").get());
        assertFalse(t instanceof Error, "refused with an exception, not " + t);
        return t;
    }

    @Test
    void arrayLengthsBeyondTheMessageAreRefusedBeforeAllocating() {
        // Without the check, 6 bytes claiming 2^31 - 2 doubles made Kryo allocate 16 GiB (OutOfMemoryError).
        for (Class<?> type : List.of(boolean[].class, int[].class, long[].class, float[].class, double[].class)) {
            for (int declared : new int[]{Integer.MAX_VALUE, -5, 1_000_000}) {
                Output out = startOf(type);
                out.writeVarInt(declared, true);
                out.writeBytes(new byte[16]);
                Throwable t = refused(out.toBytes());
                assertTrue(String.valueOf(t.getMessage()).contains("cannot fit"), type.getSimpleName() + ": " + t);
            }
        }
        // A length that does fit still reads (the check is exact, not a guess).
        Output ok = startOf(float[].class);
        ok.writeVarInt(3, true);
        ok.writeFloats(new float[]{1f, 2f}, 0, 2);
        assertArrayEquals(new float[]{1f, 2f}, (float[]) serialization.deserialize(ok.toBytes(),
                KryoWireSerializer.IDENTIFIER, "").get());
    }

    @Test
    void stringLengthsBeyondTheMessageAreRefused() {
        Output out = startOf(WorkerProtocol.Stop.class);
        out.writeVarIntFlag(true, Integer.MAX_VALUE, true); // a UTF-8 string of 2^31 - 2 chars
        out.writeBytes(new byte[]{'x', 'y'});
        Throwable t = refused(out.toBytes());
        assertTrue(String.valueOf(t.getMessage()).contains("cannot fit"), t.toString());
    }

    @Test
    void classNamesFromTheWireAreNeverLoaded() {
        Output out = new Output(64, -1);
        out.writeVarInt(1, true); // Kryo's "class name follows" marker
        out.writeVarInt(0, true);
        out.writeString("java.lang.ProcessBuilder");
        Throwable t = refused(out.toBytes());
        assertTrue(String.valueOf(t.getMessage()).contains("class names are not accepted"), t.toString());
        // And an id that is not registered.
        Output unknown = new Output(64, -1);
        unknown.writeVarInt(WireRegistry.FIRST_ID + WireRegistry.CLASSES.size() + 2, true);
        refused(unknown.toBytes());
    }

    @Test
    void emptyAndNullMessagesAreRefused() {
        refused(new byte[0]);
        refused(new byte[]{0}); // Kryo's null
    }

    /** Records compared component by component, arrays by content. */
    static void assertDeepEquals(Object expected, Object actual) {
        assertEquals(expected.getClass(), actual.getClass());
        if (expected.getClass().isArray()) {
            int n = Array.getLength(expected);
            assertEquals(n, Array.getLength(actual));
            for (int i = 0; i < n; i++) assertEquals(Array.get(expected, i), Array.get(actual, i));
        } else if (expected.getClass().isRecord()) {
            for (RecordComponent rc : expected.getClass().getRecordComponents()) {
                try {
                    assertDeepEquals(rc.getAccessor().invoke(expected), rc.getAccessor().invoke(actual));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        } else {
            assertEquals(expected, actual);
        }
    }
}
