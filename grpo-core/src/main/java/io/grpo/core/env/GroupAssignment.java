package io.grpo.core.env;

import java.util.List;

/**
 * The original project's {@code group_assignment_fn(state, episode) -> group}: labels each
 * sample from the (raw) state the action was taken in and the episode index.
 */
public interface GroupAssignment {

    /** Group index in {@code [0, groupNames().size())}. */
    int assign(double[] state, long episode);

    List<String> groupNames();

    /** Builds an assignment from a function and its group names. */
    static GroupAssignment of(List<String> names, StateGrouper fn) {
        List<String> copy = List.copyOf(names);
        return new GroupAssignment() {
            @Override
            public int assign(double[] state, long episode) {
                return fn.assign(state, episode);
            }

            @Override
            public List<String> groupNames() {
                return copy;
            }
        };
    }

    @FunctionalInterface
    interface StateGrouper {
        int assign(double[] state, long episode);
    }
}
