package io.grpo.scenarios.hospital;

import java.util.Locale;

/** Demographic group of a patient; the default grouping for GRPO's robust term. */
public enum PatientGroup {
    PEDIATRIC, ADULT, ELDERLY;

    public static final int COUNT = values().length;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
