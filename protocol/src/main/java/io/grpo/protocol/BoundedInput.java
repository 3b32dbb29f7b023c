package io.grpo.protocol;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * A Kryo input over one complete message that refuses lengths the message cannot hold.
 * Kryo trusts the length prefixes it reads: a few garbage bytes claiming a 2-billion-char
 * string make it allocate gigabytes before it notices the data is missing. Here every
 * declared string length is checked against the bytes actually left, so a lying peer gets an
 * exception (Akka logs it and drops the message) instead of an {@link OutOfMemoryError}.
 * Arrays are checked the same way by {@link LengthCheckedArraySerializer}.
 */
final class BoundedInput extends Input {
    BoundedInput(byte[] message) {
        super(message);
    }

    /** Bytes between the read position and the end of the message. */
    static int remaining(Input in) {
        return in.limit() - in.position();
    }

    /** Throws unless {@code count} elements of at least {@code minBytes} each fit in the rest of the message. */
    static void requireFits(Input in, long count, int minBytes, String what) {
        if (count < 0 || count * minBytes > remaining(in)) {
            throw new KryoException(what + " of declared length " + count + " cannot fit in the " + remaining(in)
                    + " bytes left of the message");
        }
    }

    @Override
    public String readString() {
        requireStringFits();
        return super.readString();
    }

    @Override
    public StringBuilder readStringBuilder() {
        requireStringFits();
        return super.readStringBuilder();
    }

    /**
     * Kryo 5's string header: a first byte with bit 7 set starts a null, empty or UTF-8 string
     * whose char count + 1 is that flagged varint (with bit 7 clear the string is ASCII,
     * terminated by a marked last byte, so it never reads past the bytes present). Each UTF-8
     * char takes at least one byte.
     */
    private void requireStringFits() {
        int start = position;
        if (start < limit && readVarIntFlag()) {
            int chars = readVarIntFlag(true) - 1;
            requireFits(this, chars, 1, "string");
        }
        setPosition(start);
    }
}
