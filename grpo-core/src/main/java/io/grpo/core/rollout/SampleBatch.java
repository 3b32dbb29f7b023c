package io.grpo.core.rollout;

/**
 * Flat, learner-ready samples: one row per (state, action), advantages already computed
 * by GAE with the behaviour policy's values. Observations are stored normalised, exactly
 * as the behaviour policy saw them. Arrays are owned by the batch; do not modify.
 *
 * @param observationSize  features per observation
 * @param observations     row-major size x observationSize
 * @param actions          action taken
 * @param behaviourLogProbs log mu(a|s) of the policy that acted
 * @param behaviourValues  V(s) of the policy that acted
 * @param advantages       GAE advantages
 * @param returns          advantages + behaviour values (value targets)
 * @param groups           group index of each sample
 * @param actionMasks      valid-action bit set the behaviour policy sampled from
 */
public record SampleBatch(int observationSize, float[] observations, int[] actions, float[] behaviourLogProbs,
                          float[] behaviourValues, float[] advantages, float[] returns, int[] groups,
                          long[] actionMasks) {

    public SampleBatch {
        int n = actions.length;
        if (observations.length != n * observationSize || behaviourLogProbs.length != n
                || behaviourValues.length != n || advantages.length != n || returns.length != n || groups.length != n
                || actionMasks.length != n) {
            throw new IllegalArgumentException("sample batch arrays disagree on the number of samples (" + n + ")");
        }
    }

    public int size() {
        return actions.length;
    }

    /** First non-finite field found, or null when every number is finite. */
    public String firstNonFinite() {
        if (!allFinite(observations)) return "observations";
        if (!allFinite(behaviourLogProbs)) return "behaviourLogProbs";
        if (!allFinite(behaviourValues)) return "behaviourValues";
        if (!allFinite(advantages)) return "advantages";
        if (!allFinite(returns)) return "returns";
        return null;
    }

    private static boolean allFinite(float[] a) {
        for (float x : a) if (!Float.isFinite(x)) return false;
        return true;
    }

    /** Concatenates batches with the same observation size. */
    public static SampleBatch concat(java.util.List<SampleBatch> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("nothing to concatenate");
        int d = parts.get(0).observationSize();
        int n = parts.stream().mapToInt(SampleBatch::size).sum();
        float[] obs = new float[n * d];
        int[] act = new int[n];
        float[] lp = new float[n];
        float[] val = new float[n];
        float[] adv = new float[n];
        float[] ret = new float[n];
        int[] grp = new int[n];
        long[] masks = new long[n];
        int at = 0;
        for (SampleBatch b : parts) {
            if (b.observationSize() != d) throw new IllegalArgumentException("observation sizes differ");
            int m = b.size();
            System.arraycopy(b.observations(), 0, obs, at * d, m * d);
            System.arraycopy(b.actions(), 0, act, at, m);
            System.arraycopy(b.behaviourLogProbs(), 0, lp, at, m);
            System.arraycopy(b.behaviourValues(), 0, val, at, m);
            System.arraycopy(b.advantages(), 0, adv, at, m);
            System.arraycopy(b.returns(), 0, ret, at, m);
            System.arraycopy(b.groups(), 0, grp, at, m);
            System.arraycopy(b.actionMasks(), 0, masks, at, m);
            at += m;
        }
        return new SampleBatch(d, obs, act, lp, val, adv, ret, grp, masks);
    }
}
