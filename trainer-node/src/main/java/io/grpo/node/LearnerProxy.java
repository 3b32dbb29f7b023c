package io.grpo.node;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.ClusterSingletonSettings;
import akka.cluster.typed.SingletonActor;
import io.grpo.protocol.LearnerProtocol;

/** How any node reaches the learner of a policy: the proxy of its cluster singleton. */
public final class LearnerProxy {
    private LearnerProxy() {}

    public static String singletonName(String policyId) {
        return "learner-" + policyId;
    }

    public static ClusterSingletonSettings settings(ActorSystem<?> system) {
        return ClusterSingletonSettings.create(system).withRole(NodeConfig.COORDINATOR_ROLE);
    }

    /**
     * The proxy on a node that does not host learners. On a coordinator node the learner must
     * be initialised first (with its real behaviour); this then returns the same proxy.
     */
    public static ActorRef<LearnerProtocol.Command> of(ActorSystem<?> system, String policyId) {
        return ClusterSingleton.get(system).init(SingletonActor.of(
                Behaviors.<LearnerProtocol.Command>setup(ctx -> {
                    throw new IllegalStateException("learner '" + policyId + "' must be started by a coordinator node");
                }), singletonName(policyId)).withSettings(settings(system)));
    }
}
