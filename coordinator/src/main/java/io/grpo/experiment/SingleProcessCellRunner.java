package io.grpo.experiment;

import io.grpo.coordinator.run.LocalTrainingRun;
import io.grpo.coordinator.run.RunDirectory;
import io.grpo.coordinator.run.TrainingSummary;
import io.grpo.core.GrpoConfig;
import io.grpo.core.train.TrainingListener;
import io.grpo.core.train.TrainingOptions;
import io.grpo.scenarios.EnvironmentCatalog;
import io.grpo.scenarios.EnvironmentSpec;

import java.nio.file.Path;

/**
 * A cell as {@code grpo train --scenario S}: the single-process trainer, then its greedy evaluation
 * of the final policy on held-out seeds ({@link LocalTrainingRun}).
 */
public final class SingleProcessCellRunner implements CellRunner {
    private final GrpoConfig base;
    private final int updates;
    private final int evalEpisodes;

    public SingleProcessCellRunner(GrpoConfig base, int updates, int evalEpisodes) {
        this.base = base;
        this.updates = updates;
        this.evalEpisodes = evalEpisodes;
    }

    @Override
    public ResultRow run(Cell cell, Path runDir) throws Exception {
        EnvironmentSpec env = EnvironmentCatalog.resolve(EnvironmentCatalog.HOSPITAL, cell.scenario(), null);
        GrpoConfig config = CellConfigs.of(base, cell);
        // no periodic evaluations: the held-out evaluation at the end is what the grid compares
        TrainingOptions options = new TrainingOptions((long) updates * config.batchSize(), 0, evalEpisodes,
                Double.NaN, false);
        TrainingSummary s = new LocalTrainingRun(env, config, options, 0)
                .run(RunDirectory.create(runDir), TrainingListener.NONE);
        return CellResults.row(cell, (int) s.updates(), s.envSteps(), s.wallSeconds(), s.scenarios(), runDir.toString());
    }
}
