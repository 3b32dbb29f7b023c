package io.grpo.core;

import io.grpo.core.policy.HiddenActivation;

import java.util.List;
import java.util.Objects;

/**
 * Every hyperparameter of a GRPO run, in one immutable place (CleanRL style).
 *
 * <p>Defaults are the RL-Zoo-tuned PPO settings for CartPole-v1 (tanh 64x64, 8 envs x 32
 * steps, gamma 0.98, GAE 0.8, 20 epochs, linearly annealed lr 1e-3), which solve it in well
 * under 100k env steps. Scenario presets override what they need via {@link #toBuilder()}.
 *
 * @param hiddenSizes            widths of the hidden layers of both policy and value nets
 * @param activation             hidden-layer nonlinearity (tanh for CartPole; relu, much cheaper on ND4J's CPU
 *                               backend, for the hospital)
 * @param learningRate           Adam step size at the start of training
 * @param annealLearningRate     decay the step size linearly to 0 over the env-step budget
 * @param adamEpsilon            Adam's denominator epsilon (1e-5 as in CleanRL)
 * @param numEnvs                environment copies stepped together (batched inference)
 * @param rolloutSteps           steps per environment copy between updates
 * @param rewardScale            rewards are multiplied by this before GAE (returns are reported unscaled)
 * @param gamma                  discount factor
 * @param gaeLambda              GAE trace parameter
 * @param updateEpochs           passes over each batch
 * @param minibatchSize          samples per Adam step
 * @param clipEpsilon            PPO ratio clip; also the value-clip range when {@code clipValueLoss}
 * @param clipValueLoss          use PPO's clipped value loss
 * @param valueCoef              weight of the value loss
 * @param entropyCoef            weight of the entropy bonus
 * @param maxGradNorm            global L2 gradient-norm clip over policy and value params (<= 0: off)
 * @param targetKl               stop an update's epochs early once approx KL exceeds this (NaN: off)
 * @param maskInvalidActions     sample only among the environment's valid actions (invalid-action masking)
 * @param skipForcedSteps        collect samples only where the agent has a choice: steps with one valid action are
 *                               played by the rollout itself and their rewards credited to the preceding choice
 *                               (needs maskInvalidActions; a masked policy acts the same either way)
 * @param normalizeAdvantages    standardise advantages per minibatch
 * @param normalizeObservations  running mean/variance observation normalisation
 * @param observationClip        clip normalised observations to +-this
 * @param groupRobustnessWeight  lambda: 0 = PPO, 1 = fully group-robust
 * @param robustMode             how the worst-group term is formed (max or Group DRO)
 * @param droStepSize            eta of Group DRO's exponentiated-gradient weights
 * @param seed                   seeds network init, environments, sampling and shuffling
 * @param learnerBackend         who computes gradients and Adam steps: BLAS (plain Java + OpenBLAS, default) or
 *                               DL4J; absent in older config files, where it means BLAS
 */
public record GrpoConfig(
        List<Integer> hiddenSizes,
        HiddenActivation activation,
        double learningRate,
        boolean annealLearningRate,
        double adamEpsilon,
        int numEnvs,
        int rolloutSteps,
        double rewardScale,
        double gamma,
        double gaeLambda,
        int updateEpochs,
        int minibatchSize,
        double clipEpsilon,
        boolean clipValueLoss,
        double valueCoef,
        double entropyCoef,
        double maxGradNorm,
        double targetKl,
        boolean maskInvalidActions,
        boolean skipForcedSteps,
        boolean normalizeAdvantages,
        boolean normalizeObservations,
        double observationClip,
        double groupRobustnessWeight,
        RobustMode robustMode,
        double droStepSize,
        long seed,
        LearnerBackend learnerBackend) {

    public GrpoConfig {
        hiddenSizes = List.copyOf(Objects.requireNonNull(hiddenSizes, "hiddenSizes"));
        Objects.requireNonNull(robustMode, "robustMode");
        Objects.requireNonNull(activation, "activation");
        if (learnerBackend == null) learnerBackend = LearnerBackend.BLAS;
        if (hiddenSizes.isEmpty() || hiddenSizes.stream().anyMatch(h -> h <= 0)) {
            throw new IllegalArgumentException("hiddenSizes must be non-empty and positive, got " + hiddenSizes);
        }
        requirePositive("learningRate", learningRate);
        requirePositive("adamEpsilon", adamEpsilon);
        requirePositive("numEnvs", numEnvs);
        requirePositive("rolloutSteps", rolloutSteps);
        requirePositive("rewardScale", rewardScale);
        requireInUnit("gamma", gamma);
        requireInUnit("gaeLambda", gaeLambda);
        requirePositive("updateEpochs", updateEpochs);
        requirePositive("minibatchSize", minibatchSize);
        requirePositive("clipEpsilon", clipEpsilon);
        requireNonNegative("valueCoef", valueCoef);
        requireNonNegative("entropyCoef", entropyCoef);
        if (!Double.isNaN(targetKl)) requirePositive("targetKl", targetKl);
        requirePositive("observationClip", observationClip);
        requireInUnit("groupRobustnessWeight", groupRobustnessWeight);
        requirePositive("droStepSize", droStepSize);
        if (skipForcedSteps && !maskInvalidActions) {
            throw new IllegalArgumentException("skipForcedSteps needs maskInvalidActions: without the mask no step is forced");
        }
        if (Double.isNaN(maxGradNorm)) throw new IllegalArgumentException("maxGradNorm must be a number (<= 0: off)");
    }

    /** The CartPole-tuned defaults documented on the class. */
    public static GrpoConfig defaults() {
        return new GrpoConfig(List.of(64, 64), HiddenActivation.TANH, 1e-3, true, 1e-5, 8, 32, 1.0, 0.98, 0.8, 20, 256,
                0.2, true, 0.5, 0.0, 0.5, Double.NaN, true, false, true, true, 10.0,
                0.0, RobustMode.MAX, 0.01, 1L, LearnerBackend.BLAS);
    }

    /** Samples per update: numEnvs x rolloutSteps. */
    public int batchSize() {
        return numEnvs * rolloutSteps;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return defaults().toBuilder();
    }

    private static void requirePositive(String name, double v) {
        if (!(v > 0)) throw new IllegalArgumentException(name + " must be > 0, got " + v);
        requireFinite(name, v);
    }

    private static void requireFinite(String name, double v) {
        if (Double.isInfinite(v)) throw new IllegalArgumentException(name + " must be a finite number, got " + v);
    }

    private static void requirePositive(String name, int v) {
        if (v <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }

    private static void requireNonNegative(String name, double v) {
        if (!(v >= 0)) throw new IllegalArgumentException(name + " must be >= 0, got " + v);
        requireFinite(name, v);
    }

    private static void requireInUnit(String name, double v) {
        if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
    }

    /** Fluent copy-and-change for the record. */
    public static final class Builder {
        private List<Integer> hiddenSizes;
        private HiddenActivation activation;
        private double learningRate;
        private boolean annealLearningRate;
        private double adamEpsilon;
        private int numEnvs;
        private int rolloutSteps;
        private double rewardScale;
        private double gamma;
        private double gaeLambda;
        private int updateEpochs;
        private int minibatchSize;
        private double clipEpsilon;
        private boolean clipValueLoss;
        private double valueCoef;
        private double entropyCoef;
        private double maxGradNorm;
        private double targetKl;
        private boolean maskInvalidActions;
        private boolean skipForcedSteps;
        private boolean normalizeAdvantages;
        private boolean normalizeObservations;
        private double observationClip;
        private double groupRobustnessWeight;
        private RobustMode robustMode;
        private double droStepSize;
        private long seed;
        private LearnerBackend learnerBackend;

        private Builder(GrpoConfig c) {
            hiddenSizes = c.hiddenSizes;
            activation = c.activation;
            learningRate = c.learningRate;
            annealLearningRate = c.annealLearningRate;
            adamEpsilon = c.adamEpsilon;
            numEnvs = c.numEnvs;
            rolloutSteps = c.rolloutSteps;
            rewardScale = c.rewardScale;
            gamma = c.gamma;
            gaeLambda = c.gaeLambda;
            updateEpochs = c.updateEpochs;
            minibatchSize = c.minibatchSize;
            clipEpsilon = c.clipEpsilon;
            clipValueLoss = c.clipValueLoss;
            valueCoef = c.valueCoef;
            entropyCoef = c.entropyCoef;
            maxGradNorm = c.maxGradNorm;
            targetKl = c.targetKl;
            maskInvalidActions = c.maskInvalidActions;
            skipForcedSteps = c.skipForcedSteps;
            normalizeAdvantages = c.normalizeAdvantages;
            normalizeObservations = c.normalizeObservations;
            observationClip = c.observationClip;
            groupRobustnessWeight = c.groupRobustnessWeight;
            robustMode = c.robustMode;
            droStepSize = c.droStepSize;
            seed = c.seed;
            learnerBackend = c.learnerBackend;
        }

        public Builder hiddenSizes(List<Integer> v) { hiddenSizes = v; return this; }
        public Builder activation(HiddenActivation v) { activation = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder annealLearningRate(boolean v) { annealLearningRate = v; return this; }
        public Builder adamEpsilon(double v) { adamEpsilon = v; return this; }
        public Builder numEnvs(int v) { numEnvs = v; return this; }
        public Builder rolloutSteps(int v) { rolloutSteps = v; return this; }
        public Builder rewardScale(double v) { rewardScale = v; return this; }
        public Builder gamma(double v) { gamma = v; return this; }
        public Builder gaeLambda(double v) { gaeLambda = v; return this; }
        public Builder updateEpochs(int v) { updateEpochs = v; return this; }
        public Builder minibatchSize(int v) { minibatchSize = v; return this; }
        public Builder clipEpsilon(double v) { clipEpsilon = v; return this; }
        public Builder clipValueLoss(boolean v) { clipValueLoss = v; return this; }
        public Builder valueCoef(double v) { valueCoef = v; return this; }
        public Builder entropyCoef(double v) { entropyCoef = v; return this; }
        public Builder maxGradNorm(double v) { maxGradNorm = v; return this; }
        public Builder targetKl(double v) { targetKl = v; return this; }
        public Builder maskInvalidActions(boolean v) { maskInvalidActions = v; return this; }
        public Builder skipForcedSteps(boolean v) { skipForcedSteps = v; return this; }
        public Builder normalizeAdvantages(boolean v) { normalizeAdvantages = v; return this; }
        public Builder normalizeObservations(boolean v) { normalizeObservations = v; return this; }
        public Builder observationClip(double v) { observationClip = v; return this; }
        public Builder groupRobustnessWeight(double v) { groupRobustnessWeight = v; return this; }
        public Builder robustMode(RobustMode v) { robustMode = v; return this; }
        public Builder droStepSize(double v) { droStepSize = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder learnerBackend(LearnerBackend v) { learnerBackend = v; return this; }

        public GrpoConfig build() {
            return new GrpoConfig(hiddenSizes, activation, learningRate, annealLearningRate, adamEpsilon, numEnvs,
                    rolloutSteps, rewardScale, gamma, gaeLambda, updateEpochs, minibatchSize, clipEpsilon, clipValueLoss,
                    valueCoef, entropyCoef, maxGradNorm, targetKl, maskInvalidActions, skipForcedSteps, normalizeAdvantages, normalizeObservations,
                    observationClip, groupRobustnessWeight, robustMode, droStepSize, seed, learnerBackend);
        }
    }
}
