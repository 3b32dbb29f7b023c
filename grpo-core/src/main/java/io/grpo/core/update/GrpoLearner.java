package io.grpo.core.update;

import io.grpo.core.GrpoConfig;
import io.grpo.core.policy.ActorCritic;
import io.grpo.core.rollout.SampleBatch;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The GRPO update: PPO's clipped surrogate, with each minibatch's samples weighted by
 * {@code w_i = (1-lambda)/N + lambda * q_g(i)/N_g(i)} so that the policy loss is
 * {@code (1-lambda) * mean_i l_i + lambda * R(L_g)}. With lambda = 0 every weight is
 * exactly 1/N and the update is plain PPO.
 *
 * <p>Per minibatch, top to bottom: forward pass for the current ratios, per-sample
 * surrogate losses and group means, robust group weights, backprop of the weighted policy
 * loss and of the value loss, global gradient-norm clip, Adam.
 */
public final class GrpoLearner {
    private final GrpoConfig config;
    private final ActorCritic net;
    private final GroupWeights groupWeights;
    private final AdamOptimizer policyAdam;
    private final AdamOptimizer valueAdam;
    private int adamSteps;
    private long version;

    public GrpoLearner(GrpoConfig config, ActorCritic net, int groupCount) {
        this.config = config;
        this.net = net;
        this.groupWeights = new GroupWeights(groupCount, config.robustMode(), config.groupRobustnessWeight(),
                config.droStepSize());
        this.policyAdam = new AdamOptimizer(net.policyNet(), config.learningRate(), config.adamEpsilon());
        this.valueAdam = new AdamOptimizer(net.valueNet(), config.learningRate(), config.adamEpsilon());
    }

    public ActorCritic net() {
        return net;
    }

    public GroupWeights groupWeights() {
        return groupWeights;
    }

    /** Number of updates applied (the policy version). */
    public long version() {
        return version;
    }

    /** Performs one GRPO update on the batch with the given Adam step size. */
    public UpdateStats update(SampleBatch batch, double learningRate) {
        String bad = batch.firstNonFinite();
        if (bad != null) throw new IllegalArgumentException("batch has non-finite " + bad + "; rejected");
        int n = batch.size();
        int groups = groupWeights.groupCount();
        for (int g : batch.groups()) {
            if (g < 0 || g >= groups) throw new IllegalArgumentException("group label " + g + " outside [0, " + groups + ")");
        }
        int d = batch.observationSize();
        int a = net.actionCount();
        int mb = Math.min(config.minibatchSize(), n);
        double eps = config.clipEpsilon();

        Accumulator acc = new Accumulator(groups);
        int[] order = identity(n);
        // Shuffles derive from (seed, version) so a restored learner repeats them exactly.
        SplittableRandom shuffleRng = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + version);
        epochs:
        for (int epoch = 0; epoch < config.updateEpochs(); epoch++) {
            shuffle(order, shuffleRng);
            for (int start = 0; start < n; start += mb) {
                int m = Math.min(mb, n - start);
                int[] idx = Arrays.copyOfRange(order, start, start + m);
                Minibatch x = Minibatch.gather(batch, idx, config.normalizeAdvantages());
                INDArray input = net.input(x.observations, m);

                // 1. current policy: ratios, per-sample surrogate losses, group means
                double[] logits = net.logits(input);
                double[] logp = new double[a];
                double[] loss = new double[m];
                double[] groupSum = new double[groups];
                int[] groupCount = new int[groups];
                double kl = 0, clipped = 0, entropy = 0;
                for (int i = 0; i < m; i++) {
                    PpoMath.logSoftmax(logits, i * a, a, x.actionMasks[i], logp);
                    double logRatio = logp[x.actions[i]] - x.behaviourLogProbs[i];
                    double ratio = Math.exp(logRatio);
                    loss[i] = PpoMath.surrogateLoss(ratio, x.advantages[i], eps);
                    groupSum[x.groups[i]] += loss[i];
                    groupCount[x.groups[i]]++;
                    kl += (ratio - 1) - logRatio;
                    clipped += Math.abs(ratio - 1) > eps ? 1 : 0;
                    entropy += PpoMath.entropy(logp, a);
                }
                double[] groupLoss = new double[groups];
                for (int g = 0; g < groups; g++) groupLoss[g] = groupCount[g] > 0 ? groupSum[g] / groupCount[g] : Double.NaN;

                // 2. GRPO sample weights from the group losses
                double[] w = new double[m];
                double[] q = groupWeights.weigh(x.groups, groupLoss, groupCount, w);
                double objective = 0;
                for (int i = 0; i < m; i++) objective += w[i] * loss[i];

                // 3. gradients of the weighted policy loss and the value loss
                backprop(net.policyNet(), input, policyLabels(x, w, m, input.dataType()));
                // DL4J reports the output layer's loss divided by the minibatch size; undo that.
                double valueLoss = backprop(net.valueNet(), input, valueLabels(x, m, input.dataType())) * m;
                net.valueNet().getGradientsViewArray().muli(config.valueCoef());

                // 4. global gradient-norm clip, then Adam on both nets
                double gradNorm = clipGlobalNorm();
                policyAdam.step(learningRate, adamSteps);
                valueAdam.step(learningRate, adamSteps);
                adamSteps++;

                acc.add(objective, valueLoss, entropy / m, kl / m, clipped / m, gradNorm,
                        groupSum, groupCount, q);
                if (!Double.isNaN(config.targetKl()) && kl / m > config.targetKl()) break epochs;
            }
        }
        version++;
        return acc.stats(version, n, learningRate, explainedVariance(batch), batchGroupCounts(batch, groups));
    }

    private INDArray policyLabels(Minibatch x, double[] w, int m, DataType type) {
        int c = PolicyLossFunction.LABEL_COLUMNS;
        double entropyWeight = config.entropyCoef() / m;
        double[] labels = new double[m * c];
        for (int i = 0; i < m; i++) {
            labels[i * c + PolicyLossFunction.COL_ACTION] = x.actions[i];
            labels[i * c + PolicyLossFunction.COL_ADVANTAGE] = x.advantages[i];
            labels[i * c + PolicyLossFunction.COL_BEHAVIOUR_LOGP] = x.behaviourLogProbs[i];
            labels[i * c + PolicyLossFunction.COL_SAMPLE_WEIGHT] = w[i];
            labels[i * c + PolicyLossFunction.COL_ENTROPY_WEIGHT] = entropyWeight;
            labels[i * c + PolicyLossFunction.COL_ACTION_MASK] = x.actionMasks[i];
        }
        return NdArrays.create(labels, m, c, type);
    }

    private INDArray valueLabels(Minibatch x, int m, DataType type) {
        int c = ValueLossFunction.LABEL_COLUMNS;
        double weight = 1.0 / m; // the value coefficient scales the gradient afterwards
        double[] labels = new double[m * c];
        for (int i = 0; i < m; i++) {
            labels[i * c + ValueLossFunction.COL_RETURN] = x.returns[i];
            labels[i * c + ValueLossFunction.COL_BEHAVIOUR_VALUE] = x.behaviourValues[i];
            labels[i * c + ValueLossFunction.COL_WEIGHT] = weight;
        }
        return NdArrays.create(labels, m, c, type);
    }

    /** Backprop of the net's output-layer loss; leaves the gradient in its gradient view, returns the loss. */
    private double backprop(MultiLayerNetwork model, INDArray input, INDArray labels) {
        model.setInput(input);
        model.setLabels(labels);
        model.computeGradientAndScore();
        return model.score();
    }

    private double clipGlobalNorm() {
        INDArray gp = net.policyNet().getGradientsViewArray();
        INDArray gv = net.valueNet().getGradientsViewArray();
        double np = gp.norm2Number().doubleValue();
        double nv = gv.norm2Number().doubleValue();
        double norm = Math.sqrt(np * np + nv * nv);
        if (config.maxGradNorm() > 0 && norm > config.maxGradNorm()) {
            double scale = config.maxGradNorm() / (norm + 1e-6);
            gp.muli(scale);
            gv.muli(scale);
        }
        return norm;
    }

    private static double explainedVariance(SampleBatch b) {
        int n = b.size();
        double meanR = 0, meanE = 0;
        for (int i = 0; i < n; i++) {
            meanR += b.returns()[i];
            meanE += b.returns()[i] - b.behaviourValues()[i];
        }
        meanR /= n;
        meanE /= n;
        double varR = 0, varE = 0;
        for (int i = 0; i < n; i++) {
            double r = b.returns()[i] - meanR;
            double e = b.returns()[i] - b.behaviourValues()[i] - meanE;
            varR += r * r;
            varE += e * e;
        }
        return varR == 0 ? Double.NaN : 1 - varE / varR;
    }

    private static int[] batchGroupCounts(SampleBatch b, int groups) {
        int[] c = new int[groups];
        for (int g : b.groups()) c[g]++;
        return c;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static void shuffle(int[] a, SplittableRandom shuffleRng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = shuffleRng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    // ---- checkpoint support ----

    /** Everything needed to continue training exactly where this learner is. */
    public LearnerState state() {
        return new LearnerState(version, adamSteps, net.parameters(), policyAdam.state(), valueAdam.state(),
                groupWeights.droState());
    }

    public void restore(LearnerState s) {
        net.setParameters(s.parameters());
        policyAdam.restore(s.policyOptimizer());
        valueAdam.restore(s.valueOptimizer());
        groupWeights.restoreDroState(s.groupWeights());
        this.version = s.version();
        this.adamSteps = s.adamSteps();
    }

    /** A minibatch's rows gathered from the batch, with advantages normalised if asked. */
    private static final class Minibatch {
        float[] observations;
        int[] actions;
        double[] behaviourLogProbs;
        double[] behaviourValues;
        double[] advantages;
        double[] returns;
        int[] groups;
        long[] actionMasks;

        static Minibatch gather(SampleBatch b, int[] idx, boolean normalizeAdvantages) {
            int m = idx.length;
            int d = b.observationSize();
            Minibatch x = new Minibatch();
            x.observations = new float[m * d];
            x.actions = new int[m];
            x.behaviourLogProbs = new double[m];
            x.behaviourValues = new double[m];
            x.advantages = new double[m];
            x.returns = new double[m];
            x.groups = new int[m];
            x.actionMasks = new long[m];
            for (int i = 0; i < m; i++) {
                int j = idx[i];
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

    /** Running means of the per-minibatch statistics. */
    private static final class Accumulator {
        int steps;
        double objective, valueLoss, entropy, kl, clip, gradNorm;
        final double[] groupLossSum;
        final int[] groupLossCount;
        final double[] weightSum;

        Accumulator(int groups) {
            groupLossSum = new double[groups];
            groupLossCount = new int[groups];
            weightSum = new double[groups];
        }

        void add(double objective, double valueLoss, double entropy, double kl, double clip, double gradNorm,
                 double[] groupSum, int[] groupCount, double[] q) {
            steps++;
            this.objective += objective;
            this.valueLoss += valueLoss;
            this.entropy += entropy;
            this.kl += kl;
            this.clip += clip;
            this.gradNorm += gradNorm;
            for (int g = 0; g < groupSum.length; g++) {
                groupLossSum[g] += groupSum[g];
                groupLossCount[g] += groupCount[g];
                weightSum[g] += q[g];
            }
        }

        UpdateStats stats(long version, int samples, double lr, double explainedVariance, int[] groupSamples) {
            int groups = groupLossSum.length;
            double[] loss = new double[groups];
            double[] weight = new double[groups];
            for (int g = 0; g < groups; g++) {
                loss[g] = groupLossCount[g] > 0 ? groupLossSum[g] / groupLossCount[g] : Double.NaN;
                weight[g] = weightSum[g] / steps;
            }
            return new UpdateStats(version, samples, steps, lr, objective / steps, valueLoss / steps,
                    entropy / steps, kl / steps, clip / steps, explainedVariance, gradNorm / steps,
                    groupSamples, loss, weight);
        }
    }
}
