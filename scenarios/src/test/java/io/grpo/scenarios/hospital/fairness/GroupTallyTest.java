package io.grpo.scenarios.hospital.fairness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GroupTallyTest {

    @Test
    void countsEachKindOfEventAndKeepsTreatedWaitsInOrder() {
        GroupTally tally = new GroupTally("elderly");
        for (int i = 0; i < 5; i++) tally.arrived();
        tally.treated(12.5);
        tally.treated(3.0);
        tally.leftUnseen(90.0);
        tally.adverse(45.0);
        // the fifth patient is still waiting at episode end: an arrival only
        assertEquals("elderly", tally.group());
        assertEquals(5, tally.arrivals());
        assertEquals(2, tally.treated());
        assertEquals(1, tally.leftUnseen());
        assertEquals(1, tally.adverse());
        assertArrayEquals(new double[]{12.5, 3.0}, tally.treatedWaits());
    }

    @Test
    void growsPastItsInitialCapacity() {
        GroupTally tally = new GroupTally("adult");
        double[] expected = new double[1000];
        for (int i = 0; i < expected.length; i++) {
            tally.arrived();
            tally.treated(i);
            expected[i] = i;
        }
        assertArrayEquals(expected, tally.treatedWaits());
        assertEquals(499.5, tally.outcome().meanWait(), 1e-12);
    }

    @Test
    void outcomeIsASnapshotThatLaterUpdatesDoNotChange() {
        GroupTally tally = new GroupTally("pediatric");
        tally.arrived();
        tally.treated(7.0);
        GroupOutcome before = tally.outcome();
        tally.arrived();
        tally.treated(1.0);
        tally.treatedWaits()[0] = -1; // a copy: does not reach the tally
        assertEquals(new GroupOutcome("pediatric", 1, 1, 0, 0, new double[]{7.0}), before);
        assertEquals(new GroupOutcome("pediatric", 2, 2, 0, 0, new double[]{1.0, 7.0}), tally.outcome());
    }

    @Test
    void rejectsWaitsThatAreNegativeOrNotFinite() {
        GroupTally tally = new GroupTally("adult");
        tally.arrived();
        assertThrows(IllegalArgumentException.class, () -> tally.treated(-1.0));
        assertThrows(IllegalArgumentException.class, () -> tally.leftUnseen(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> tally.adverse(Double.POSITIVE_INFINITY));
        assertEquals(0, tally.treated() + tally.leftUnseen() + tally.adverse());
    }
}
