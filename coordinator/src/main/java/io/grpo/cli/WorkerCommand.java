package io.grpo.cli;

import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import io.grpo.node.NodeConfig;
import io.grpo.node.WorkerNode;
import io.grpo.node.worker.RolloutWorker;
import io.grpo.scenarios.hospital.HospitalScenario;
import io.grpo.scenarios.hospital.HospitalSimulator;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Join a cluster and roll out one hospital scenario for its learner. Exits 0 when the "
                + "coordinator finishes the run, 1 when the learner refuses this worker."},
        footer = {"", "Example:",
                "  grpo worker --scenario urban --seed-nodes 10.0.0.1:2552 --host 10.0.0.2",
                "", "Environment: GRPO_HOST, GRPO_PORT, GRPO_SEED_NODES, GRPO_BIND_HOST, GRPO_HEARTBEAT_INTERVAL,",
                "  GRPO_HEARTBEAT_PAUSE, GRPO_STABLE_AFTER, GRPO_TLS_KEYSTORE, GRPO_TLS_TRUSTSTORE,",
                "  GRPO_TLS_PASSWORD_FILE or GRPO_TLS_PASSWORD, GRPO_TLS_HOSTNAME_VERIFICATION (flags win)."})
final class WorkerCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    NodeOptions nodeOptions;

    @Option(names = "--scenario", paramLabel = "NAME|FILE", required = true,
            description = "Scenario to roll out: a preset (urban, rural, pediatric, surge) or a .conf file.")
    String scenario;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "Rollout workers on this node (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--envs-per-worker", paramLabel = "K", defaultValue = "16",
            description = "Environment copies per worker (default: ${DEFAULT-VALUE}).")
    int envsPerWorker;

    @Option(names = "--policy-layout", paramLabel = "LAYOUT", defaultValue = "shared",
            description = "Must match the coordinator's: shared or per-scenario (default: ${DEFAULT-VALUE}).")
    String policyLayout;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "2",
            description = "Unacknowledged batches before a worker pauses (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--ack-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Re-register when the learner has not acknowledged a batch for this long (it moved after a "
                    + "fail-over); the unacknowledged batches are counted as lost (default: ${DEFAULT-VALUE}).")
    int ackTimeoutSeconds;

    @Option(names = "--seed", defaultValue = "1", description = "Seeds this node's environments and sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (workers < 1) throw usage("--workers must be >= 1, got " + workers);
        if (envsPerWorker < 1) throw usage("--envs-per-worker must be >= 1, got " + envsPerWorker);
        if (maxInFlight < 1) throw usage("--max-in-flight must be >= 1, got " + maxInFlight);
        if (ackTimeoutSeconds < 1) throw usage("--ack-timeout must be >= 1 second, got " + ackTimeoutSeconds);
        String layout = policyLayout.trim().toLowerCase(Locale.ROOT);
        if (!layout.equals("shared") && !layout.equals("per-scenario")) {
            throw usage("--policy-layout: unknown value '" + policyLayout + "' (shared, per-scenario)");
        }
        HospitalScenario sc = ClusterOptions.scenario(spec, scenario);
        NodeConfig node = nodeOptions.resolve(List.of(NodeConfig.WORKER_ROLE), 0);
        if (node.seedNodes().isEmpty()) throw usage("a worker needs --seed-nodes (or GRPO_SEED_NODES) to find the coordinator");

        String policyId = layout.equals("shared") ? "shared" : sc.name();
        // Unique across restarts and nodes, readable in logs.
        String nodeId = node.host() + "-" + ProcessHandle.current().pid();
        List<WorkerNode.Assignment> assignments = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            long workerSeed = seed * 1_000_003L + ProcessHandle.current().pid() * 101L + i;
            assignments.add(new WorkerNode.Assignment(new RolloutWorker.Spec(nodeId + "/" + sc.name() + "-" + i, sc.name(),
                    () -> new HospitalSimulator(sc), envsPerWorker, workerSeed, maxInFlight, Duration.ofSeconds(2),
                    Duration.ofSeconds(ackTimeoutSeconds)), policyId));
        }
        spec.commandLine().getErr().printf(Locale.ROOT, "worker node %s:%d over %s joining %s: %d x %s, %d envs each%n",
                node.host(), node.port(), node.tls() != null ? "TLS" : "plain TCP", String.join(",", node.seedNodes()), workers, sc.name(), envsPerWorker);
        WorkerNode.Handle handle = WorkerNode.start(node, assignments);
        var terminated = handle.system().getWhenTerminated().toCompletableFuture();
        while (true) {
            try {
                terminated.get(30, TimeUnit.SECONDS);
                break;
            } catch (TimeoutException e) {
                // Akka retries the seed nodes forever; say so rather than sit silent.
                if (Cluster.get(handle.system()).selfMember().status() != MemberStatus.up()) {
                    LoggerFactory.getLogger(WorkerCommand.class).warn("not in the cluster yet: still trying to join {}",
                            String.join(",", node.seedNodes()));
                }
            }
        }
        if (handle.finished().get()) return 0;
        spec.commandLine().getErr().println("grpo worker: stopped before the run finished (see the log above)");
        return 1;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
