package io.grpo.core;

import java.util.Locale;

/** How the group term R(L_g) of the GRPO objective is formed. */
public enum RobustMode {
    /** All robust weight on the group with the largest loss (the original project's rule). */
    MAX,
    /** Group DRO online weights q_g <- q_g * exp(eta * L_g), normalised (Sagawa et al., 2020). */
    DRO;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RobustMode parse(String s) {
        for (RobustMode m : values()) {
            if (m.label().equalsIgnoreCase(s.trim())) return m;
        }
        throw new IllegalArgumentException("unknown robust mode '" + s + "' (allowed: max, dro)");
    }
}
