package io.grpo.core.env;

import java.util.ArrayList;
import java.util.List;

/**
 * K environment copies stepped together with automatic reset, so the policy can act on
 * all of them in one batched forward pass.
 *
 * <p>Copy i is seeded with {@code seed + i} once; later episodes continue each copy's own
 * random source. Episode indices count finished episodes across all copies in order.
 * When a copy's episode ends its terminal observation is kept in {@link #finalObservation(int)}
 * and {@link #observation(int)} already holds the first observation of the next episode.
 */
public final class VectorEnv {
    private final List<Environment> envs;
    private final GroupAssignment assignment;
    private final double[][] observations;
    private final double[][] finalObservations;
    private final long[] episodeIndex;
    private final double[] episodeReturn;
    private final int[] episodeLength;
    private long nextEpisode;

    private final double[] rewards;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final int[] groups;
    private final List<Episode> finishedEpisodes = new ArrayList<>();

    /** A finished episode's undiscounted return and length. */
    public record Episode(long index, double returnValue, int length) {}

    /**
     * @param assignment custom grouping, or null to use the environments' own group labels
     */
    public VectorEnv(EnvironmentFactory factory, int copies, long seed, GroupAssignment assignment) {
        if (copies < 1) throw new IllegalArgumentException("need at least one environment copy, got " + copies);
        this.envs = new ArrayList<>(copies);
        this.assignment = assignment;
        this.observations = new double[copies][];
        this.finalObservations = new double[copies][];
        this.episodeIndex = new long[copies];
        this.episodeReturn = new double[copies];
        this.episodeLength = new int[copies];
        this.rewards = new double[copies];
        this.terminated = new boolean[copies];
        this.truncated = new boolean[copies];
        this.groups = new int[copies];
        for (int i = 0; i < copies; i++) {
            Environment env = factory.create();
            envs.add(env);
            observations[i] = env.reset(seed + i);
            episodeIndex[i] = nextEpisode++;
        }
    }

    public int size() {
        return envs.size();
    }

    public int observationSize() {
        return envs.get(0).observationSize();
    }

    public int actionCount() {
        return envs.get(0).actionCount();
    }

    public List<String> groupNames() {
        return assignment != null ? assignment.groupNames() : envs.get(0).groupNames();
    }

    /** Valid-action bit set of copy i in its current state. */
    public long validActions(int i) {
        long mask = envs.get(i).validActions();
        if ((mask & ActionMasks.all(actionCount())) == 0) {
            throw new IllegalStateException("environment copy " + i + " reports no valid action");
        }
        return mask;
    }

    /** Current observation of copy i (do not modify). */
    public double[] observation(int i) {
        return observations[i];
    }

    /** Steps every copy with its action; results are read with the accessors below. */
    public void step(int[] actions) {
        finishedEpisodes.clear();
        for (int i = 0; i < envs.size(); i++) {
            double[] state = observations[i];
            StepResult r = envs.get(i).step(actions[i]);
            rewards[i] = r.reward();
            terminated[i] = r.terminated();
            truncated[i] = r.truncated();
            groups[i] = assignment != null ? assignment.assign(state, episodeIndex[i]) : r.group();
            episodeReturn[i] += r.reward();
            episodeLength[i]++;
            if (r.done()) {
                finishedEpisodes.add(new Episode(episodeIndex[i], episodeReturn[i], episodeLength[i]));
                finalObservations[i] = r.observation();
                observations[i] = envs.get(i).reset();
                episodeIndex[i] = nextEpisode++;
                episodeReturn[i] = 0;
                episodeLength[i] = 0;
            } else {
                finalObservations[i] = null;
                observations[i] = r.observation();
            }
        }
    }

    public double reward(int i) {
        return rewards[i];
    }

    public boolean terminated(int i) {
        return terminated[i];
    }

    public boolean truncated(int i) {
        return truncated[i];
    }

    public int group(int i) {
        return groups[i];
    }

    /** Terminal observation of copy i if its episode ended in the last step, else null. */
    public double[] finalObservation(int i) {
        return finalObservations[i];
    }

    /** Episodes that finished in the last step. */
    public List<Episode> finishedEpisodes() {
        return List.copyOf(finishedEpisodes);
    }
}
