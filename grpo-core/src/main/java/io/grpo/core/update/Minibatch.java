package io.grpo.core.update;

import io.grpo.core.rollout.SampleBatch;

/** A minibatch's rows gathered from a batch, with advantages normalised if asked. */
final class Minibatch {
    final int size;
    final float[] observations;
    final int[] actions;
    final double[] behaviourLogProbs;
    final double[] behaviourValues;
    final double[] advantages;
    final double[] returns;
    final int[] groups;
    final long[] actionMasks;

    private Minibatch(int m, int d) {
        size = m;
        observations = new float[m * d];
        actions = new int[m];
        behaviourLogProbs = new double[m];
        behaviourValues = new double[m];
        advantages = new double[m];
        returns = new double[m];
        groups = new int[m];
        actionMasks = new long[m];
    }

    static Minibatch gather(SampleBatch b, int[] order, int from, int m, boolean normalizeAdvantages) {
        int d = b.observationSize();
        Minibatch x = new Minibatch(m, d);
        for (int i = 0; i < m; i++) {
            int j = order[from + i];
            System.arraycopy(b.observations(), j * d, x.observations, i * d, d);
            x.actions[i] = b.actions()[j];
            x.behaviourLogProbs[i] = b.behaviourLogProbs()[j];
            x.behaviourValues[i] = b.behaviourValues()[j];
            x.advantages[i] = b.advantages()[j];
            x.returns[i] = b.returns()[j];
            x.groups[i] = b.groups()[j];
            x.actionMasks[i] = b.actionMasks()[j];
        }
        if (normalizeAdvantages && m > 1) {
            double mean = 0;
            for (double v : x.advantages) mean += v;
            mean /= m;
            double var = 0;
            for (double v : x.advantages) var += (v - mean) * (v - mean);
            double std = Math.sqrt(var / (m - 1));
            for (int i = 0; i < m; i++) x.advantages[i] = (x.advantages[i] - mean) / (std + 1e-8);
        }
        return x;
    }
}
