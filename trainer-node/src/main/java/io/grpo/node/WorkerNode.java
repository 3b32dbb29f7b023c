package io.grpo.node;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import io.grpo.node.worker.RolloutWorker;
import io.grpo.protocol.LearnerProtocol;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The worker role: spawns rollout workers, each talking to the learner of its policy, and
 * stops the node when all of them have stopped (the run finished, or the learner refused them).
 */
public final class WorkerNode {
    /** Dispatcher for rollouts and updates, so long computations never starve Akka's own threads. */
    public static final String COMPUTE_DISPATCHER = "grpo.compute-dispatcher";

    private WorkerNode() {}

    /** A worker and the policy it serves. */
    public record Assignment(RolloutWorker.Spec spec, String policyId) {}

    /** A running worker node; {@code finished} turns true once the learner has told a worker the run is over. */
    public record Handle(ActorSystem<Void> system, AtomicBoolean finished) {}

    /** Starts a worker-only node; it terminates when all its workers have stopped. */
    public static Handle start(NodeConfig node, List<Assignment> workers) {
        return start(node.akkaConfig(), workers);
    }

    /** Starts a worker-only node from a complete Akka configuration (tests tweak shutdown behaviour). */
    public static Handle start(Config akkaConfig, List<Assignment> workers) {
        AtomicBoolean finished = new AtomicBoolean();
        ActorSystem<Void> system = ActorSystem.create(guardian(workers, null, end -> {
            if (end.finished()) finished.set(true);
        }), NodeConfig.SYSTEM_NAME, akkaConfig);
        return new Handle(system, finished);
    }

    /**
     * Spawns the workers as children of the calling actor's context (embedded mode) or of a
     * guardian; {@code learners} maps a policy id to its learner (null: the singleton proxy).
     */
    public static Behavior<Void> guardian(List<Assignment> workers,
                                          Function<String, ActorRef<LearnerProtocol.Command>> learners,
                                          Consumer<RolloutWorker.End> onEnd) {
        return Behaviors.setup(ctx -> {
            for (Assignment a : workers) {
                ActorRef<LearnerProtocol.Command> learner = learners != null ? learners.apply(a.policyId())
                        : LearnerProxy.of(ctx.getSystem(), a.policyId());
                var ref = ctx.spawn(RolloutWorker.supervised(a.spec(), learner, onEnd), "worker-" + safeName(a.spec().workerId()),
                        DispatcherSelector.fromConfig(COMPUTE_DISPATCHER));
                ctx.watch(ref);
            }
            if (learners == null) ctx.spawn(CoordinatorWatch.create(), "coordinator-watch");
            int[] alive = {workers.size()};
            if (alive[0] == 0) return Behaviors.stopped();
            return Behaviors.receive(Void.class)
                    .onSignal(Terminated.class, t -> --alive[0] == 0 ? Behaviors.stopped() : Behaviors.same())
                    .build();
        });
    }

    private static String safeName(String s) {
        return s.replaceAll("[^A-Za-z0-9_\\-]", "_");
    }
}
