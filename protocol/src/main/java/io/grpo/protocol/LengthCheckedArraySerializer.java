package io.grpo.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Kryo's primitive-array serializer, with the declared length checked before anything is
 * allocated: an array of n elements of at least {@code minElementBytes} each must fit in what
 * is left of the message (Kryo itself would allocate first, see {@link BoundedInput}).
 * Only valid on inputs that hold the whole message, as {@link KryoWireSerializer} reads.
 */
final class LengthCheckedArraySerializer<T> extends Serializer<T> {
    private final Serializer<T> kryoDefault;
    private final int minElementBytes;

    LengthCheckedArraySerializer(Serializer<T> kryoDefault, int minElementBytes) {
        super(kryoDefault.getAcceptsNull(), kryoDefault.isImmutable());
        this.kryoDefault = kryoDefault;
        this.minElementBytes = minElementBytes;
    }

    @Override
    public void write(Kryo kryo, Output output, T array) {
        kryoDefault.write(kryo, output, array);
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
        int start = input.position();
        int lengthPlusOne = input.readVarInt(true); // Kryo's array header: 0 = null, else length + 1
        if (lengthPlusOne != 0) {
            BoundedInput.requireFits(input, (lengthPlusOne & 0xFFFFFFFFL) - 1, minElementBytes,
                    type.getComponentType() + "[]");
        }
        input.setPosition(start);
        return kryoDefault.read(kryo, input, type);
    }
}
