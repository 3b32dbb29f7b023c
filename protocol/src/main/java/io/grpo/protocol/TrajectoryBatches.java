package io.grpo.protocol;

import io.grpo.core.rollout.SampleBatch;

/** Size bounds, validation and conversion of {@link LearnerProtocol.TrajectoryBatch}. */
public final class TrajectoryBatches {
    /** Strings, actor ref, normaliser moments and Kryo headers, generously. */
    private static final long FIXED_OVERHEAD_BYTES = 16 * 1024;

    private TrajectoryBatches() {}

    /**
     * Upper bound on the Kryo size of a batch of {@code samples} rows: floats are 4 bytes,
     * ints and longs at most 5 and 10 as varints, and every step may end an episode.
     */
    public static long maxWireBytes(int samples, int observationSize) {
        long perSample = 4L * observationSize  // observations
                + 5 + 4 + 1 + 1                     // action, reward, terminated, truncated
                + 4 * 4                             // log-prob, value, advantage, return
                + 5 + 10                            // group, action mask
                + 4 + 5;                            // an episode's return and length
        return FIXED_OVERHEAD_BYTES + 16L * observationSize + perSample * samples;
    }

    /**
     * What is wrong with a batch for a learner of the given shape, or null when it is
     * usable: array lengths, action and group ranges, non-finite numbers.
     */
    public static String problem(LearnerProtocol.TrajectoryBatch b, int observationSize, int actionCount, int groupCount) {
        if (b.actions() == null || b.observations() == null || b.behaviourLogProbs() == null || b.values() == null
                || b.advantages() == null || b.returns() == null || b.groups() == null || b.actionMasks() == null
                || b.rewards() == null || b.terminated() == null || b.truncated() == null) {
            return "missing array";
        }
        int n = b.actions().length;
        if (n == 0) return "empty batch";
        if (b.observationSize() != observationSize) {
            return "observation size " + b.observationSize() + ", learner expects " + observationSize;
        }
        if (b.observations().length != (long) n * observationSize || b.behaviourLogProbs().length != n
                || b.values().length != n || b.advantages().length != n || b.returns().length != n
                || b.groups().length != n || b.actionMasks().length != n || b.rewards().length != n
                || b.terminated().length != n || b.truncated().length != n) {
            return "arrays disagree on the number of samples (" + n + ")";
        }
        for (int i = 0; i < n; i++) {
            if (b.actions()[i] < 0 || b.actions()[i] >= actionCount) return "action " + b.actions()[i] + " outside [0, " + actionCount + ")";
            if (b.groups()[i] < 0 || b.groups()[i] >= groupCount) return "group " + b.groups()[i] + " outside [0, " + groupCount + ")";
            if ((b.actionMasks()[i] >>> b.actions()[i] & 1L) == 0) return "action " + b.actions()[i] + " not in its own action mask";
        }
        SampleBatch s = toSampleBatch(b);
        String bad = s.firstNonFinite();
        if (bad != null) return "non-finite " + bad;
        if (b.rawObservations() != null) {
            var m = b.rawObservations();
            if (m.mean() == null || m.var() == null || m.mean().length != observationSize || m.var().length != observationSize) {
                return "observation moments have the wrong size";
            }
            if (!(m.count() >= 0) || !allFinite(m.mean()) || !allFinite(m.var())) return "non-finite observation moments";
        }
        return null;
    }

    public static SampleBatch toSampleBatch(LearnerProtocol.TrajectoryBatch b) {
        return new SampleBatch(b.observationSize(), b.observations(), b.actions(), b.behaviourLogProbs(), b.values(),
                b.advantages(), b.returns(), b.groups(), b.actionMasks());
    }

    private static boolean allFinite(double[] a) {
        for (double x : a) if (!Double.isFinite(x)) return false;
        return true;
    }
}
