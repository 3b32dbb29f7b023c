package io.grpo.scenarios.hospital.fairness;

import java.util.Arrays;
import java.util.Objects;

/**
 * What has happened so far to one patient group during one episode; the simulator updates it as patients arrive
 * and leave, and {@link #outcome()} freezes it for {@link FairnessMetrics}. Patients still waiting or in treatment
 * at the end of the episode are counted as arrivals only. Waits are kept in a primitive array, since a long
 * episode treats thousands of patients and boxing each wait would be waste. Not thread-safe.
 */
public final class GroupTally {
    private final String group;
    private int arrivals;
    private int treated;
    private int leftUnseen;
    private int adverse;
    private double[] treatedWaits = new double[64];

    /** @param group the group's name, e.g. {@code PatientGroup.label()} */
    public GroupTally(String group) {
        this.group = Objects.requireNonNull(group, "group");
    }

    /** A patient of this group arrived. */
    public void arrived() {
        arrivals++;
    }

    /** A patient was admitted to treatment after waiting {@code waitMinutes}. */
    public void treated(double waitMinutes) {
        requireWait(waitMinutes);
        if (treated == treatedWaits.length) treatedWaits = Arrays.copyOf(treatedWaits, 2 * treated);
        treatedWaits[treated++] = waitMinutes;
    }

    /**
     * A patient left without being seen after waiting {@code waitMinutes}. The wait is checked but not kept:
     * the wait statistics describe treated patients only.
     */
    public void leftUnseen(double waitMinutes) {
        requireWait(waitMinutes);
        leftUnseen++;
    }

    /**
     * A patient had an adverse event after waiting {@code waitMinutes}. The wait is checked but not kept:
     * the wait statistics describe treated patients only.
     */
    public void adverse(double waitMinutes) {
        requireWait(waitMinutes);
        adverse++;
    }

    public String group() {
        return group;
    }

    public int arrivals() {
        return arrivals;
    }

    public int treated() {
        return treated;
    }

    public int leftUnseen() {
        return leftUnseen;
    }

    public int adverse() {
        return adverse;
    }

    /** The treated patients' waits in minutes, in the order they were treated (a copy). */
    public double[] treatedWaits() {
        return Arrays.copyOf(treatedWaits, treated);
    }

    /** An immutable snapshot of the tally so far; later updates do not change it. */
    public GroupOutcome outcome() {
        return new GroupOutcome(group, arrivals, treated, leftUnseen, adverse, treatedWaits());
    }

    private static void requireWait(double waitMinutes) {
        if (!(waitMinutes >= 0) || waitMinutes == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("wait must be finite and >= 0, got " + waitMinutes);
        }
    }
}
