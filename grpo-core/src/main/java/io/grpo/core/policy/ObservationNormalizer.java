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
        int d = mean.length;
        double n = batch.length;
        double[] bMean = new double[d];
        double[] bVar = new double[d];
        for (double[] row : batch) for (int j = 0; j < d; j++) bMean[j] += row[j];
        for (int j = 0; j < d; j++) bMean[j] /= n;
        for (double[] row : batch) for (int j = 0; j < d; j++) bVar[j] += (row[j] - bMean[j]) * (row[j] - bMean[j]);
        for (int j = 0; j < d; j++) bVar[j] /= n;
        double total = count + n;
        for (int j = 0; j < d; j++) {
            double delta = bMean[j] - mean[j];
            double m2 = var[j] * count + bVar[j] * n + delta * delta * count * n / total;
            mean[j] += delta * n / total;
            var[j] = m2 / total;
        }
        count = total;
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
