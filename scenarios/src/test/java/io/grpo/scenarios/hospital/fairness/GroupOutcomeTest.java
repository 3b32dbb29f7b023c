package io.grpo.scenarios.hospital.fairness;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupOutcomeTest {

    private static GroupOutcome treatedWith(double... waits) {
        return new GroupOutcome("adult", waits.length, waits.length, 0, 0, waits);
    }

    @Test
    void p90InterpolatesLinearlyBetweenRanksLikeNumpy() {
        // h = 9 * 0.9 = 8.1 -> 9 + 0.1 * (10 - 9); order of the input does not matter
        assertEquals(9.1, treatedWith(10, 1, 2, 3, 4, 5, 6, 7, 8, 9).p90Wait(), 1e-12);
        assertEquals(42.0, treatedWith(42).p90Wait(), 0.0);
        // h = 0.9 -> 10 + 0.9 * (20 - 10)
        assertEquals(19.0, treatedWith(20, 10).p90Wait(), 1e-12);
        // h = 7 * 0.9 = 6.3 -> 70 + 0.3 * (80 - 70)
        assertEquals(73.0, treatedWith(10, 20, 30, 40, 50, 60, 70, 80).p90Wait(), 1e-12);
        assertEquals(5.0, treatedWith(5, 5, 5).p90Wait(), 0.0);
    }

    @Test
    void meanWaitAndRates() {
        GroupOutcome g = new GroupOutcome("elderly", 8, 4, 2, 1, new double[]{10, 20, 30, 60});
        assertEquals(30.0, g.meanWait(), 1e-12);
        assertEquals(0.5, g.treatedRate(), 0.0);
        assertEquals(0.25, g.leftUnseenRate(), 0.0);
        assertEquals(0.125, g.adverseRate(), 0.0);
    }

    @Test
    void noArrivalsGiveZeroRatesAndNoTreatedPatientGivesNaNWaits() {
        GroupOutcome none = new GroupOutcome("pediatric", 0, 0, 0, 0, new double[0]);
        assertEquals(0.0, none.treatedRate());
        assertEquals(0.0, none.leftUnseenRate());
        assertEquals(0.0, none.adverseRate());
        assertTrue(Double.isNaN(none.meanWait()));
        assertTrue(Double.isNaN(none.p90Wait()));

        GroupOutcome untreated = new GroupOutcome("pediatric", 3, 0, 3, 2, new double[0]);
        assertEquals(0.0, untreated.treatedRate());
        assertEquals(1.0, untreated.leftUnseenRate());
        assertTrue(Double.isNaN(untreated.meanWait()));
        assertTrue(Double.isNaN(untreated.p90Wait()));
    }

    @Test
    void mergeAddsCountsAndPoolsWaits() {
        GroupOutcome first = new GroupOutcome("adult", 4, 2, 1, 1, new double[]{30, 10});
        GroupOutcome second = new GroupOutcome("adult", 6, 3, 2, 0, new double[]{50, 20, 40});
        GroupOutcome merged = GroupOutcome.merge(List.of(first, second));
        assertEquals(new GroupOutcome("adult", 10, 5, 3, 1, new double[]{10, 20, 30, 40, 50}), merged);
        assertEquals(0.5, merged.treatedRate(), 0.0);
        assertEquals(0.3, merged.leftUnseenRate(), 1e-15);
        assertEquals(0.1, merged.adverseRate(), 1e-15);
        assertEquals(30.0, merged.meanWait(), 1e-12); // per patient, not the mean of the episode means (20, 36.67)
        assertEquals(46.0, merged.p90Wait(), 1e-12);  // h = 3.6 -> 40 + 0.6 * 10
        assertEquals(first, GroupOutcome.merge(List.of(first)));
    }

    @Test
    void mergeRefusesNothingAndMixedGroups() {
        GroupOutcome adult = treatedWith(1);
        GroupOutcome elderly = new GroupOutcome("elderly", 1, 1, 0, 0, new double[]{1});
        assertThrows(IllegalArgumentException.class, () -> GroupOutcome.merge(List.of()));
        assertThrows(IllegalArgumentException.class, () -> GroupOutcome.merge(List.of(adult, elderly)));
    }

    @Test
    void waitsAreCopiedSortedAndComparedByContent() {
        double[] waits = {3, 1, 2};
        GroupOutcome g = treatedWith(waits);
        waits[0] = 100;
        assertArrayEquals(new double[]{1, 2, 3}, g.treatedWaits());
        g.treatedWaits()[0] = 100;
        assertArrayEquals(new double[]{1, 2, 3}, g.treatedWaits());
        assertEquals(treatedWith(2, 3, 1), g);
        assertEquals(treatedWith(2, 3, 1).hashCode(), g.hashCode());
        assertNotEquals(treatedWith(1, 2, 4), g);
    }

    @Test
    void rejectsInconsistentCounts() {
        assertThrows(IllegalArgumentException.class, () -> new GroupOutcome("a", -1, 0, 0, 0, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new GroupOutcome("a", 2, 2, 1, 0, new double[]{1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new GroupOutcome("a", 2, 0, 0, 3, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new GroupOutcome("a", 2, 2, 0, 0, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> new GroupOutcome("a", 1, 1, 0, 0, new double[]{-1}));
        assertThrows(IllegalArgumentException.class, () -> new GroupOutcome("a", 1, 1, 0, 0, new double[]{Double.NaN}));
        assertThrows(NullPointerException.class, () -> new GroupOutcome(null, 0, 0, 0, 0, new double[0]));
    }
}
