package io.grpo.scenarios.hospital.fairness;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What happened to one patient group over one or more episodes: how many arrived, how many were treated, left
 * unseen or had an adverse event, and how long the treated ones waited. {@link FairnessMetrics} compares these
 * across groups.
 *
 * <p>Rates are fractions of arrivals and are 0 when nobody arrived, so that every snapshot has numbers;
 * {@link FairnessMetrics} leaves such groups out of its comparisons, as they have no outcome to compare. Wait
 * statistics are NaN when nobody was treated.
 *
 * @param group        the group's name, e.g. {@code PatientGroup.label()}
 * @param arrivals     patients of the group who arrived
 * @param treated      patients admitted to treatment
 * @param leftUnseen   patients who left without being seen
 * @param adverse      patients who had an adverse event while waiting
 * @param treatedWaits minutes each treated patient waited; kept in ascending order, so that percentiles need no
 *                     copy and two outcomes with the same patients are equal whatever the order of treatment
 */
public record GroupOutcome(String group, int arrivals, int treated, int leftUnseen, int adverse,
                           double[] treatedWaits) {

    public GroupOutcome {
        Objects.requireNonNull(group, "group");
        if (arrivals < 0 || treated < 0 || leftUnseen < 0 || adverse < 0) {
            throw new IllegalArgumentException("counts must be >= 0 for group " + group);
        }
        if ((long) treated + leftUnseen > arrivals || adverse > arrivals) {
            throw new IllegalArgumentException("group " + group + ": treated + left unseen and adverse must not"
                    + " exceed arrivals (" + arrivals + ")");
        }
        if (treatedWaits.length != treated) {
            throw new IllegalArgumentException("group " + group + ": " + treatedWaits.length + " waits for "
                    + treated + " treated patients");
        }
        treatedWaits = treatedWaits.clone();
        Arrays.sort(treatedWaits);
        if (treated > 0 && !(treatedWaits[0] >= 0 && treatedWaits[treated - 1] < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("group " + group + ": waits must be finite and >= 0");
        }
    }

    /**
     * Combines episodes of one group into one outcome: counts add up and the waits are pooled, so the pooled
     * statistics weigh every patient equally rather than every episode.
     */
    public static GroupOutcome merge(List<GroupOutcome> episodes) {
        if (episodes.isEmpty()) throw new IllegalArgumentException("nothing to merge");
        String group = episodes.get(0).group();
        int arrivals = 0, treated = 0, leftUnseen = 0, adverse = 0;
        for (GroupOutcome e : episodes) {
            if (!e.group().equals(group)) {
                throw new IllegalArgumentException("cannot merge groups " + group + " and " + e.group());
            }
            arrivals = Math.addExact(arrivals, e.arrivals());
            treated = Math.addExact(treated, e.treated());
            leftUnseen = Math.addExact(leftUnseen, e.leftUnseen());
            adverse = Math.addExact(adverse, e.adverse());
        }
        double[] waits = new double[treated];
        int at = 0;
        for (GroupOutcome e : episodes) {
            System.arraycopy(e.treatedWaits, 0, waits, at, e.treated());
            at += e.treated();
        }
        return new GroupOutcome(group, arrivals, treated, leftUnseen, adverse, waits);
    }

    /** The treated patients' waits in minutes, ascending (a copy). */
    @Override
    public double[] treatedWaits() {
        return treatedWaits.clone();
    }

    /** Treated / arrivals; 0 when nobody arrived. */
    public double treatedRate() {
        return rate(treated);
    }

    /** Left unseen / arrivals; 0 when nobody arrived. */
    public double leftUnseenRate() {
        return rate(leftUnseen);
    }

    /** Adverse events / arrivals; 0 when nobody arrived. */
    public double adverseRate() {
        return rate(adverse);
    }

    /** Mean wait of the treated patients in minutes; NaN when nobody was treated. */
    public double meanWait() {
        if (treated == 0) return Double.NaN;
        double sum = 0;
        for (double w : treatedWaits) sum += w;
        return sum / treated;
    }

    /**
     * 90th percentile of the treated patients' waits in minutes, by linear interpolation between the two closest
     * ranks (numpy's default, Hyndman-Fan type 7): with the waits sorted, h = (n − 1)·0.9 and the result is
     * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]). NaN when nobody was treated.
     */
    public double p90Wait() {
        if (treated == 0) return Double.NaN;
        double h = (treated - 1) * 0.9;
        int below = (int) Math.floor(h);
        if (below + 1 >= treated) return treatedWaits[below];
        return treatedWaits[below] + (h - below) * (treatedWaits[below + 1] - treatedWaits[below]);
    }

    private double rate(int count) {
        return arrivals == 0 ? 0.0 : (double) count / arrivals;
    }

    /** Compares the waits by content, which a record's generated equality would not do for an array. */
    @Override
    public boolean equals(Object o) {
        return o instanceof GroupOutcome other && group.equals(other.group) && arrivals == other.arrivals
                && treated == other.treated && leftUnseen == other.leftUnseen && adverse == other.adverse
                && Arrays.equals(treatedWaits, other.treatedWaits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(group, arrivals, treated, leftUnseen, adverse, Arrays.hashCode(treatedWaits));
    }

    /** Summarises the waits instead of listing thousands of them. */
    @Override
    public String toString() {
        return "GroupOutcome[group=" + group + ", arrivals=" + arrivals + ", treated=" + treated + ", leftUnseen="
                + leftUnseen + ", adverse=" + adverse + ", meanWait=" + meanWait() + ", p90Wait=" + p90Wait() + "]";
    }
}
