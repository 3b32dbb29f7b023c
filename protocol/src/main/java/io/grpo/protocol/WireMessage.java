package io.grpo.protocol;

/**
 * Marker for every message that may cross the network. {@code reference.conf} binds it to
 * {@link KryoWireSerializer}; each concrete class must also be registered in {@link WireRegistry}.
 */
public interface WireMessage {}
