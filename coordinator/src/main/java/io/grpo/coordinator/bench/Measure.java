package io.grpo.coordinator.bench;

import java.util.Arrays;
import java.util.function.IntSupplier;

/** Timing loops for the benchmarks: warm up, then the median rate over several measurements. */
public final class Measure {
    private Measure() {}

    /**
     * Median over {@code repeats} of units per second, each measurement calling {@code body}
     * (which returns the units it did) until at least {@code minSeconds} have passed; one
     * unreported measurement first warms up the JIT.
     */
    public static double medianRate(int repeats, double minSeconds, IntSupplier body) {
        once(minSeconds, body);
        double[] rates = new double[repeats];
        for (int r = 0; r < repeats; r++) rates[r] = once(minSeconds, body);
        return median(rates);
    }

    private static double once(double minSeconds, IntSupplier body) {
        long units = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            units += body.getAsInt();
            elapsed = System.nanoTime() - start;
        } while (elapsed < minSeconds * 1e9);
        return units / (elapsed / 1e9);
    }

    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
