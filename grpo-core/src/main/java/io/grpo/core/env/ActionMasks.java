package io.grpo.core.env;

/** Valid-action bit sets: bit k set means action k can have an effect. */
public final class ActionMasks {
    private ActionMasks() {}

    /** Every one of n actions valid. */
    public static long all(int n) {
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    public static boolean isValid(long mask, int action) {
        return (mask >>> action & 1L) != 0;
    }
}
