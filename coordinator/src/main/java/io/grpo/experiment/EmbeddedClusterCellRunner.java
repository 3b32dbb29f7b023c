package io.grpo.experiment;

import io.grpo.coordinator.run.ClusterSummary;
import io.grpo.coordinator.run.ClusterTrainingRun;
import io.grpo.coordinator.run.RunDirectory;
import io.grpo.core.GrpoConfig;
import io.grpo.core.train.TrainingListener;
import io.grpo.node.NodeConfig;
import io.grpo.scenarios.EnvironmentCatalog;
import io.grpo.scenarios.EnvironmentSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A cell as {@code grpo train --scenarios S}: a one-node Akka cluster in this JVM (learner singleton
 * plus rollout workers) trained on one scenario, then its held-out evaluation.
 */
public final class EmbeddedClusterCellRunner implements CellRunner {
    private final GrpoConfig base;
    private final int updates;
    private final int evalEpisodes;
    private final int workers;

    public EmbeddedClusterCellRunner(GrpoConfig base, int updates, int evalEpisodes, int workers) {
        this.base = base;
        this.updates = updates;
        this.evalEpisodes = evalEpisodes;
        this.workers = workers;
    }

    @Override
    public ResultRow run(Cell cell, Path runDir) throws Exception {
        EnvironmentSpec env = EnvironmentCatalog.resolve(EnvironmentCatalog.HOSPITAL, cell.scenario(), null);
        GrpoConfig config = CellConfigs.of(base, cell);
        ClusterTrainingRun.Plan plan = new ClusterTrainingRun.Plan(Map.of(cell.scenario(), env),
                ClusterTrainingRun.PolicyLayout.SHARED, ClusterTrainingRun.Grouping.DEMOGRAPHIC, config, updates,
                workers * config.numEnvs() * config.rolloutSteps(), 2, workers, config.numEnvs(), 2, evalEpisodes, 0);
        NodeConfig node = NodeConfig.resolve("127.0.0.1", 0, List.of(),
                List.of(NodeConfig.COORDINATOR_ROLE, NodeConfig.WORKER_ROLE), 0, Map.of());
        ClusterTrainingRun run = new ClusterTrainingRun(plan, node);
        run.checkFrames();
        RunDirectory dir = RunDirectory.create(runDir);
        ClusterSummary s = run.run(dir, TrainingListener.NONE, Duration.ofDays(1));
        dir.writeJson(dir.summary(), s);
        RunReport.writeQuietly(runDir);
        return CellResults.row(cell, s.updates(), s.envSteps(), s.wallSeconds(), s.scenarios(), runDir.toString());
    }
}
