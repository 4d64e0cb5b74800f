package org.pekkogrid.deploy;

import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.pekkogrid.protocol.Roles;

/**
 * Takes the workers out of a cluster that has no head left. Heads join their seeds (other
 * heads), never a cluster of workers: a head restarted with no seed forms a new cluster of its
 * own, which the workers of the old one reach only by joining again. So once the cluster has had
 * no head member for {@code grid.worker.headless-after}, this watch downs every worker in it,
 * itself included, and each one's launcher ({@link RestartingNode}) starts a new actor system
 * that joins the seeds again.
 *
 * <p>An unreachable head still counts: whether it is dead is the split brain resolver's call,
 * which downs it after its {@code stable-after}; from then on there is no head. Downing all the
 * workers at once, rather than each itself, lets them shut down together: a node downed leaves
 * at once when every other downed node has seen the news, and waits seconds for one that left
 * before it did.
 *
 * <p>It reads the cluster state a few times per {@code headless-after} rather than mirroring
 * membership from events: the restart comes at most a tenth of {@code headless-after} late.
 */
final class HeadlessWatch extends AbstractBehavior<HeadlessWatch.Command> {

    /** Only its own timer: nothing from the cluster reaches it. */
    sealed interface Command permits Check {}

    private enum Check implements Command { INSTANCE }

    /** Statuses of a head that coordinates, or will once it is up. */
    private static final Set<MemberStatus> HEAD_PRESENT = Set.of(MemberStatus.joining(), MemberStatus.weaklyUp(),
        MemberStatus.up());
    private static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(100);

    private final Cluster cluster;
    private final Duration headlessAfter;
    private final Consumer<String> onHeadless;
    private long headlessSinceNanos;
    private boolean headless;

    /**
     * @param headlessAfter how long the cluster may have no head before its workers leave it
     * @param onHeadless    told why this node may soon be downed while the cluster has no head, and null
     *                      if a head appears again
     */
    static Behavior<Command> create(Duration headlessAfter, Consumer<String> onHeadless) {
        Duration every = headlessAfter.dividedBy(10);
        Duration checkInterval = every.compareTo(MIN_CHECK_INTERVAL) < 0 ? MIN_CHECK_INTERVAL : every;
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Check.INSTANCE, checkInterval);
            return new HeadlessWatch(ctx, headlessAfter, onHeadless);
        }));
    }

    private HeadlessWatch(ActorContext<Command> ctx, Duration headlessAfter, Consumer<String> onHeadless) {
        super(ctx);
        this.cluster = Cluster.get(ctx.getSystem());
        this.headlessAfter = headlessAfter;
        this.onHeadless = onHeadless;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessageEquals(Check.INSTANCE, this::onCheck)
            .build();
    }

    private Behavior<Command> onCheck() {
        MemberStatus self = cluster.selfMember().status();
        // Before it is a member a node sees no one; once it is downed it is going anyway.
        boolean member = self == MemberStatus.up() || self == MemberStatus.weaklyUp();
        CurrentClusterState state = cluster.state();
        if (!member || hasHead(state)) {
            if (headless) onHeadless.accept(null);
            headless = false;
            return this;
        }
        long now = System.nanoTime();
        if (!headless) {
            headless = true;
            headlessSinceNanos = now;
        }
        // Said at once: a worker whose peer downs it first restarts for this reason too.
        onHeadless.accept("the cluster has had no head since the last one was downed or left");
        if (now - headlessSinceNanos < headlessAfter.toNanos()) return this;
        for (Member m : state.getMembers()) {
            if (m.hasRole(Roles.WORKER) && !state.getUnreachable().contains(m)) cluster.manager().tell(new Down(m.address()));
        }
        return Behaviors.stopped();
    }

    /** Whether some member with role head is joining, weakly up or up, reachable or not. */
    static boolean hasHead(CurrentClusterState state) {
        for (Member m : state.getMembers()) {
            if (m.hasRole(Roles.HEAD) && HEAD_PRESENT.contains(m.status())) return true;
        }
        return false;
    }
}
