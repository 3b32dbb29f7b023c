package io.grpo.scenarios.hospital;

import java.util.Locale;

/** Triage severity of a patient. */
public enum Severity {
    STANDARD, URGENT, CRITICAL;

    public static final int COUNT = values().length;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
