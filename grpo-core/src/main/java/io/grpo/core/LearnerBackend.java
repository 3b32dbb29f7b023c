package io.grpo.core;

import java.util.Locale;

/** Which implementation computes the learner's gradients and Adam steps (the math is the same). */
public enum LearnerBackend {
    /**
     * Plain-Java MLP with OpenBLAS matrix products, hand-written backward and Adam: far less
     * per-operation overhead than DL4J on these small networks (the default).
     */
    BLAS,
    /** DL4J {@code MultiLayerNetwork} backprop and ND4J's Adam (the reference implementation). */
    DL4J;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LearnerBackend parse(String s) {
        for (LearnerBackend b : values()) {
            if (b.label().equalsIgnoreCase(s.trim())) return b;
        }
        throw new IllegalArgumentException("unknown learner backend '" + s + "' (allowed: blas, dl4j)");
    }
}
