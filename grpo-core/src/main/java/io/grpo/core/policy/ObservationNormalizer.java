package io.grpo.core.policy;

import java.util.Arrays;

/**
 * Running mean/variance observation normalisation (Chan et al.'s parallel update, as in
 * Gymnasium's NormalizeObservation), clipped to +-clip.
 */
public final class ObservationNormalizer {
    private final boolean enabled;
    private final double clip;
    private final double[] mean;
    private final double[] var;
    private double count;

    public ObservationNormalizer(int size, boolean enabled, double clip) {
        this.enabled = enabled;
        this.clip = clip;
        this.mean = new double[size];
        this.var = new double[size];
        Arrays.fill(var, 1.0);
        this.count = 1e-4;
    }

    public boolean enabled() {
        return enabled;
    }

    public int size() {
        return mean.length;
    }

    /** Folds a batch of raw observations into the running statistics. */
    public void update(double[][] batch) {
        if (!enabled || batch.length == 0) return;
        merge(moments(batch));
    }

    /** Folds another set of statistics (e.g. a remote worker's batch moments) into these. */
    public void merge(State other) {
        if (!enabled || other.count() <= 0) return;
        if (other.mean().length != mean.length) {
            throw new IllegalArgumentException("moments have size " + other.mean().length + ", expected " + mean.length);
        }
        State merged = combine(state(), other);
        restore(merged);
    }

    /** Population mean and variance of a batch of rows. */
    public static State moments(double[][] batch) {
        int d = batch[0].length;
        double n = batch.length;
        double[] m = new double[d];
        double[] v = new double[d];
        for (double[] row : batch) for (int j = 0; j < d; j++) m[j] += row[j];
        for (int j = 0; j < d; j++) m[j] /= n;
        for (double[] row : batch) for (int j = 0; j < d; j++) v[j] += (row[j] - m[j]) * (row[j] - m[j]);
        for (int j = 0; j < d; j++) v[j] /= n;
        return new State(m, v, n);
    }

    /** Chan et al.'s parallel combination of two sets of moments; either may be null (empty). */
    public static State combine(State a, State b) {
        if (a == null) return b;
        if (b == null) return a;
        int d = a.mean().length;
        double total = a.count() + b.count();
        double[] m = new double[d];
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            double delta = b.mean()[j] - a.mean()[j];
            double m2 = a.var()[j] * a.count() + b.var()[j] * b.count() + delta * delta * a.count() * b.count() / total;
            m[j] = a.mean()[j] + delta * b.count() / total;
            v[j] = m2 / total;
        }
        return new State(m, v, total);
    }

    /** Writes the normalised observation into {@code out[off, off+size)}. */
    public void normalize(double[] raw, float[] out, int off) {
        for (int j = 0; j < mean.length; j++) {
            double x = enabled ? (raw[j] - mean[j]) / Math.sqrt(var[j] + 1e-8) : raw[j];
            if (enabled) x = Math.max(-clip, Math.min(clip, x));
            out[off + j] = (float) x;
        }
    }

    /** Mean, variance and count, for checkpoints and weight broadcasts. */
    public State state() {
        return new State(mean.clone(), var.clone(), count);
    }

    public void restore(State s) {
        if (s.mean().length != mean.length) {
            throw new IllegalArgumentException("normaliser state has size " + s.mean().length + ", expected " + mean.length);
        }
        System.arraycopy(s.mean(), 0, mean, 0, mean.length);
        System.arraycopy(s.var(), 0, var, 0, var.length);
        count = s.count();
    }

    public record State(double[] mean, double[] var, double count) {}
}
