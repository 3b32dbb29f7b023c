package io.grpo.coordinator.run;

import akka.serialization.JSerializer;
import io.grpo.protocol.KryoWireSerializer;

/**
 * The attacker's side of {@link WireAttackTest}: claims the GRPO Kryo serializer's id and
 * writes whatever bytes it is given, so that a well-formed Artery envelope carries a payload
 * of our choosing to the node's Kryo deserializer.
 */
public final class RawBytesSerializer extends JSerializer {
    /** The bytes to put on the wire, as they are. */
    public record Payload(byte[] bytes) {}

    @Override
    public int identifier() {
        return KryoWireSerializer.IDENTIFIER;
    }

    @Override
    public boolean includeManifest() {
        return false;
    }

    @Override
    public byte[] toBinary(Object o) {
        return ((Payload) o).bytes();
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        return new Payload(bytes);
    }
}
