package io.grpo.core.env;

/** Makes independent environment copies (one per vector slot or evaluation episode). */
@FunctionalInterface
public interface EnvironmentFactory {
    Environment create();
}
