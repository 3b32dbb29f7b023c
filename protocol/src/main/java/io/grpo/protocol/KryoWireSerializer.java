package io.grpo.protocol;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.JSerializer;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;

/**
 * Akka serializer for every {@link WireMessage}: Kryo 5 with the {@link WireRegistry}
 * registrations. Kryo instances are not thread-safe, so each call borrows one from a pool.
 * Typed actor refs travel as their Akka serialization format and are resolved on arrival.
 * Reading never trusts a length from the wire beyond the bytes received ({@link BoundedInput}):
 * a malformed message throws, Akka logs and drops it, and the node carries on.
 */
public final class KryoWireSerializer extends JSerializer {
    /** Fixed for the wire format; Akka reserves 0-40. */
    public static final int IDENTIFIER = 4_711;

    private final Pool<Kryo> pool;

    public KryoWireSerializer(ExtendedActorSystem system) {
        ActorRefCodec refs = new ActorRefCodec(system);
        this.pool = new Pool<>(true, false, 64) {
            @Override
            protected Kryo create() {
                return WireRegistry.newKryo(refs);
            }
        };
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public boolean includeManifest() {
        return false;
    }

    @Override
    public byte[] toBinary(Object message) {
        Kryo kryo = pool.obtain();
        try (Output out = new Output(4_096, -1)) {
            kryo.writeClassAndObject(out, message);
            return out.toBytes();
        } finally {
            pool.free(kryo);
        }
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        Kryo kryo = pool.obtain();
        try (Input in = new BoundedInput(bytes)) {
            Object message = kryo.readClassAndObject(in);
            if (message == null) throw new IllegalArgumentException("a null message");
            if (in.position() != bytes.length) {
                throw new IllegalArgumentException("trailing " + (bytes.length - in.position()) + " bytes after "
                        + message.getClass().getSimpleName());
            }
            return message;
        } finally {
            pool.free(kryo);
        }
    }

    /** Writes a typed actor ref as its path with address; resolves it against this node's system. */
    private static final class ActorRefCodec extends Serializer<ActorRef<?>> {
        private final ExtendedActorSystem system;
        private volatile ActorRefResolver resolver;

        ActorRefCodec(ExtendedActorSystem system) {
            this.system = system;
        }

        private ActorRefResolver resolver() {
            // Created lazily: the serializer is constructed while the actor system is still starting.
            ActorRefResolver r = resolver;
            if (r == null) resolver = r = ActorRefResolver.get(Adapter.toTyped(system));
            return r;
        }

        @Override
        public void write(Kryo kryo, com.esotericsoftware.kryo.io.Output output, ActorRef<?> ref) {
            output.writeString(resolver().toSerializationFormat(ref));
        }

        @Override
        public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
            return resolver().resolveActorRef(input.readString());
        }
    }
}
