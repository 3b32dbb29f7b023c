package io.grpo.protocol;

import akka.actor.typed.ActorRef;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import io.grpo.core.policy.ObservationNormalizer;

import java.util.List;
import java.util.Map;

/**
 * The closed list of classes allowed on the wire, with fixed ids so that every node agrees
 * on them. Kryo refuses anything else ({@code registrationRequired}), which also keeps a
 * malicious peer from making us instantiate arbitrary classes; class names on the wire are
 * refused outright, and array lengths are checked against the message before allocation.
 */
public final class WireRegistry {
    private WireRegistry() {}

    /** In id order starting at {@link #FIRST_ID}; append only, never reorder (ids are the wire format). */
    static final List<Class<?>> CLASSES = List.of(
            boolean[].class, int[].class, long[].class, float[].class, double[].class,
            ObservationNormalizer.State.class,
            RolloutSettings.class,
            LearnerProtocol.RegisterWorker.class,
            LearnerProtocol.TrajectoryBatch.class,
            WorkerProtocol.Welcome.class,
            WorkerProtocol.Rejected.class,
            WorkerProtocol.PolicyWeights.class,
            WorkerProtocol.BatchAck.class,
            WorkerProtocol.AckStatus.class,
            WorkerProtocol.Stop.class);

    /** Primitive arrays and the fewest bytes one element takes on the wire (ints and longs are varints). */
    private static final Map<Class<?>, Serializer<?>> ARRAYS = Map.of(
            boolean[].class, new LengthCheckedArraySerializer<>(new DefaultArraySerializers.BooleanArraySerializer(), 1),
            int[].class, new LengthCheckedArraySerializer<>(new DefaultArraySerializers.IntArraySerializer(), 1),
            long[].class, new LengthCheckedArraySerializer<>(new DefaultArraySerializers.LongArraySerializer(), 1),
            float[].class, new LengthCheckedArraySerializer<>(new DefaultArraySerializers.FloatArraySerializer(), 4),
            double[].class, new LengthCheckedArraySerializer<>(new DefaultArraySerializers.DoubleArraySerializer(), 8));

    static final int FIRST_ID = 100;
    static final int ACTOR_REF_ID = 99;

    /** The message classes (records implementing {@link WireMessage}). */
    public static List<Class<?>> messageClasses() {
        return CLASSES.stream().filter(WireMessage.class::isAssignableFrom).toList();
    }

    /** A Kryo that writes exactly the registered classes; actor refs go through {@code refs}. */
    static Kryo newKryo(Serializer<ActorRef<?>> refs) {
        Kryo kryo = new Kryo(new ActorRefAwareClassResolver(), new MapReferenceResolver());
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.register(ActorRef.class, refs, ACTOR_REF_ID);
        for (int i = 0; i < CLASSES.size(); i++) {
            Class<?> c = CLASSES.get(i);
            Serializer<?> s = ARRAYS.get(c);
            if (s != null) kryo.register(c, s, FIRST_ID + i);
            else kryo.register(c, FIRST_ID + i);
        }
        return kryo;
    }

    /** Actor refs are many concrete classes at run time; all travel as the one registered interface. */
    private static final class ActorRefAwareClassResolver extends DefaultClassResolver {
        @Override
        public Registration getRegistration(Class type) {
            if (type != ActorRef.class && ActorRef.class.isAssignableFrom(type)) return super.getRegistration(ActorRef.class);
            return super.getRegistration(type);
        }

        /** We only ever write ids; a class name from the wire is an attack (or a foreign peer), never loaded. */
        @Override
        protected Registration readName(Input input) {
            throw new KryoException("class names are not accepted on the wire, only registered class ids");
        }
    }
}
