package org.pekkogrid.head;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.pekkogrid.protocol.NodeCapacity;

/**
 * Tells the head's metrics how many worker slots the cluster has ({@link HeadMetrics#slotsTotal}):
 * a slot per core of every worker member that is Up and reachable, from the capacity its roles
 * advertise. Every head runs one, so the figure does not move with the coordinator.
 */
public final class SlotsGauge extends AbstractBehavior<SlotsGauge.Command> {

    /** Only this actor's own messages: membership or reachability changed. */
    sealed interface Command permits MembershipChanged, ReachabilityChanged {}

    private record MembershipChanged(ClusterEvent.MemberEvent event) implements Command {}

    private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Command {}

    private final Cluster cluster;
    private final HeadMetrics metrics;

    public static Behavior<Command> create(HeadMetrics metrics) {
        return Behaviors.setup(ctx -> new SlotsGauge(ctx, metrics));
    }

    private SlotsGauge(ActorContext<Command> ctx, HeadMetrics metrics) {
        super(ctx);
        this.cluster = Cluster.get(ctx.getSystem());
        this.metrics = metrics;
        cluster.subscriptions().tell(Subscribe.create(
            ctx.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new), ClusterEvent.MemberEvent.class));
        cluster.subscriptions().tell(Subscribe.create(
            ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
            ClusterEvent.ReachabilityEvent.class));
        metrics.slotsTotal(0);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(MembershipChanged.class, m -> recount())
            .onMessage(ReachabilityChanged.class, m -> recount())
            .build();
    }

    private Behavior<Command> recount() {
        ClusterEvent.CurrentClusterState state = cluster.state();
        int slots = 0;
        for (Member member : state.getMembers()) {
            boolean up = member.status() == MemberStatus.up() || member.status() == MemberStatus.weaklyUp();
            if (!up || state.getUnreachable().contains(member)) continue;
            slots += NodeCapacity.fromRoles(member.getRoles()).map(NodeCapacity::cores).orElse(0);
        }
        metrics.slotsTotal(slots);
        return this;
    }
}
