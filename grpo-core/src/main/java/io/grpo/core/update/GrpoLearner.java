package io.grpo.core.update;

import io.grpo.core.GrpoConfig;
import io.grpo.core.policy.ActorCritic;
import io.grpo.core.rollout.SampleBatch;
import java.util.SplittableRandom;

/**
 * The GRPO update: PPO's clipped surrogate, with each minibatch's samples weighted by
 * {@code w_i = (1-lambda)/N + lambda * q_g(i)/N_g(i)} so that the policy loss is
 * {@code (1-lambda) * mean_i l_i + lambda * R(L_g)}. With lambda = 0 every weight is
 * exactly 1/N and the update is plain PPO.
 *
 * <p>Per minibatch, top to bottom: forward pass for the current ratios, per-sample
 * surrogate losses and group means, robust group weights, backprop of the weighted policy
 * loss and of the value loss, global gradient-norm clip, Adam. The network work is done by a
 * {@link GradientEngine} chosen by {@code learner_backend}: plain Java + OpenBLAS (default) or DL4J.
 */
public final class GrpoLearner {
    private final GrpoConfig config;
    private final ActorCritic net;
    private final GroupWeights groupWeights;
    private final GradientEngine engine;
    private int adamSteps;
    private long version;

    public GrpoLearner(GrpoConfig config, ActorCritic net, int groupCount) {
        this.config = config;
        this.net = net;
        this.groupWeights = new GroupWeights(groupCount, config.robustMode(), config.groupRobustnessWeight(),
                config.droStepSize());
        this.engine = switch (config.learnerBackend()) {
            case BLAS -> new BlasEngine(net, config.adamEpsilon());
            case DL4J -> new Dl4jEngine(net, config.learningRate(), config.adamEpsilon());
        };
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
        engine.beginUpdate();
        epochs:
        for (int epoch = 0; epoch < config.updateEpochs(); epoch++) {
            shuffle(order, shuffleRng);
            for (int start = 0; start < n; start += mb) {
                int m = Math.min(mb, n - start);
                Minibatch x = Minibatch.gather(batch, order, start, m, config.normalizeAdvantages());

                // 1. current policy: ratios, per-sample surrogate losses, group means
                double[] logits = engine.logits(x);
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
                double valueLoss = engine.computeGradients(x, w, config.entropyCoef() / m, config.valueCoef());

                // 4. global gradient-norm clip, then Adam on both nets
                double gradNorm = clipGlobalNorm();
                engine.adamStep(learningRate, adamSteps);
                adamSteps++;

                acc.add(objective, valueLoss, entropy / m, kl / m, clipped / m, gradNorm,
                        groupSum, groupCount, q);
                if (!Double.isNaN(config.targetKl()) && kl / m > config.targetKl()) break epochs;
            }
        }
        engine.endUpdate();
        version++;
        return acc.stats(version, n, learningRate, explainedVariance(batch), batchGroupCounts(batch, groups));
    }

    private double clipGlobalNorm() {
        double norm = engine.gradientNorm();
        if (config.maxGradNorm() > 0 && norm > config.maxGradNorm()) {
            engine.scaleGradients(config.maxGradNorm() / (norm + 1e-6));
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
        return new LearnerState(version, adamSteps, net.parameters(), engine.policyOptimizerState(),
                engine.valueOptimizerState(), groupWeights.droState());
    }

    public void restore(LearnerState s) {
        net.setParameters(s.parameters());
        engine.restoreOptimizerState(s.policyOptimizer(), s.valueOptimizer());
        groupWeights.restoreDroState(s.groupWeights());
        this.version = s.version();
        this.adamSteps = s.adamSteps();
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
