package io.grpo.node;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;

/**
 * Stops a worker node once no coordinator is left in the cluster: with the learner's host gone
 * and no standby to take over, its workers would otherwise re-register forever.
 */
final class CoordinatorWatch {
    private CoordinatorWatch() {}

    static Behavior<ClusterEvent.MemberRemoved> create() {
        return Behaviors.setup(ctx -> {
            Cluster cluster = Cluster.get(ctx.getSystem());
            cluster.subscriptions().tell(Subscribe.create(ctx.getSelf(), ClusterEvent.MemberRemoved.class));
            return Behaviors.receiveMessage(removed -> {
                if (!removed.member().hasRole(NodeConfig.COORDINATOR_ROLE)) return Behaviors.same();
                // A node that is leaving itself sees everyone else removed: not a lost coordinator.
                if (cluster.selfMember().status() != MemberStatus.up()) return Behaviors.same();
                boolean coordinatorLeft = false;
                for (var m : cluster.state().getMembers()) {
                    if (m.hasRole(NodeConfig.COORDINATOR_ROLE) && m.status() != MemberStatus.down()
                            && !m.equals(removed.member())) coordinatorLeft = true;
                }
                if (!coordinatorLeft) {
                    ctx.getLog().error("coordinator {} was removed and no other coordinator is left: stopping this node",
                            removed.member().address());
                    ctx.getSystem().terminate();
                }
                return Behaviors.same();
            });
        });
    }
}
