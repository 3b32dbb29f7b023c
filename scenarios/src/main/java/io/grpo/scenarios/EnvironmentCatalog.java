package io.grpo.scenarios;

import io.grpo.core.GrpoConfig;
import io.grpo.scenarios.cartpole.CartPole;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The environments that can be named on the command line. */
public final class EnvironmentCatalog {
    private static final Map<String, EnvironmentSpec> SPECS = new LinkedHashMap<>();

    static {
        // RL Zoo's tuned PPO for CartPole-v1 (the GrpoConfig defaults).
        SPECS.put("cartpole", new EnvironmentSpec("cartpole", CartPole::new, CartPole.GROUPS,
                GrpoConfig.defaults(), 475.0, 100_000L));
    }

    private EnvironmentCatalog() {}

    public static List<String> names() {
        return List.copyOf(SPECS.keySet());
    }

    public static Optional<EnvironmentSpec> find(String name) {
        return Optional.ofNullable(SPECS.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /** The named spec, or an error that lists what exists. */
    public static EnvironmentSpec get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown environment '" + name + "' (available: " + String.join(", ", names()) + ")"));
    }
}
