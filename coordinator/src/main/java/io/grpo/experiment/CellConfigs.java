package io.grpo.experiment;

import io.grpo.core.GrpoConfig;
import io.grpo.core.RobustMode;

/** The learner configuration of a cell: the experiment's base config with the cell's seed, lambda and mode. */
final class CellConfigs {
    private CellConfigs() {}

    static GrpoConfig of(GrpoConfig base, Cell cell) {
        // lambda 0 ignores the robust term whatever the mode; max keeps no extra state
        RobustMode mode = cell.lambda() == 0 ? RobustMode.MAX : RobustMode.parse(cell.robustMode());
        return base.toBuilder().seed(cell.seed()).groupRobustnessWeight(cell.lambda()).robustMode(mode).build();
    }
}
