package org.pekkogrid.journal;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.pekkogrid.protocol.NodeAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's claim on the journal for its grid ({@link OwnerLease}): made when the node opens
 * the journal, renewed every {@code owner-renew-every} on a blocking thread, released when the
 * node's actor system stops. {@link #lost()} says, cheaply, whether the node must stop writing.
 */
final class NodeClaim {

    private static final Logger log = LoggerFactory.getLogger(NodeClaim.class);

    private final ActorSystem<?> system;
    private final String description;
    private final Set<String> seenMembers = ConcurrentHashMap.newKeySet();
    private final long localUid = ThreadLocalRandom.current().nextLong();

    // Guarded by this.
    private OwnerLease lease;
    private JournalDatabase db;
    private OwnerLease.Node self;
    private Cancellable renewals;
    private boolean released;
    private long confirmedNanos;
    private boolean renewalFailing;

    /** Null while this node may use the journal (as far as its claim goes). */
    private volatile GridJournal.Refusal lost;

    NodeClaim(ActorSystem<?> system, String description) {
        this.system = system;
        this.description = description;
        if (GridJournal.clustered(system)) {
            // Every member this node sees from now on, not only those present when it claims: a
            // node that first uses the journal after another died would otherwise take that dead
            // node's fresh claim (it was removed before its claim lapsed) for another grid's.
            org.apache.pekko.actor.typed.ActorRef<ClusterEvent.MemberEvent> watcher = system.systemActorOf(
                org.apache.pekko.actor.typed.javadsl.Behaviors.receive(ClusterEvent.MemberEvent.class)
                    .onAnyMessage(e -> {
                        remember(e.member());
                        return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
                    })
                    .build(),
                "journal-claim-members", org.apache.pekko.actor.typed.Props.empty());
            Cluster.get(system).subscriptions().tell(org.apache.pekko.cluster.typed.Subscribe.create(watcher,
                ClusterEvent.MemberEvent.class));
        }
    }

    private void remember(Member m) {
        seenMembers.add(NodeAddress.of(m.address()) + "#" + m.uniqueAddress().longUid());
    }

    /**
     * Claims the journal in {@code db} for this node's grid, and keeps the claim from now on.
     *
     * @throws JournalInUseException while another grid holds it
     */
    synchronized OwnerLease.Node claim(JournalDatabase db, JournalSettings settings) throws SQLException {
        if (released) throw new IllegalStateException("this node is stopping: it no longer uses " + description);
        if (self == null) {
            self = self();
            lease = new OwnerLease(settings.ownerLease());
            this.db = db;
            // Registered before the first claim, so that a claim made while the node stops is released too.
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                "grid-journal-release", () -> CompletableFuture.supplyAsync(() -> {
                    release();
                    return Done.getInstance();
                }, system.dispatchers().lookup(DispatcherSelector.blocking())));
        }
        try (Connection c = db.connect()) {
            OwnerLease.Outcome outcome = lease.claim(c, self, this::ours);
            if (!outcome.allowed()) throw new JournalInUseException(inUse(outcome.foreign()));
        }
        confirmedNanos = System.nanoTime();
        lost = null;
        if (renewals == null) {
            renewals = system.scheduler().scheduleWithFixedDelay(settings.ownerRenewEvery(), settings.ownerRenewEvery(),
                this::renew, system.dispatchers().lookup(DispatcherSelector.blocking()));
        }
        return self;
    }

    /** Why this node must not write now (another grid took the journal over, or the claim went unrenewed), or null. */
    GridJournal.Refusal lost() {
        return lost;
    }

    private synchronized void renew() {
        if (released) return;
        try (Connection c = db.connect()) {
            OwnerLease.Outcome outcome = lease.claim(c, self, this::ours);
            if (outcome.allowed()) {
                confirmedNanos = System.nanoTime();
                if (lost != null || renewalFailing) log.warn("{} is this grid's again", description);
                renewalFailing = false;
                lost = null;
            } else {
                GridJournal.Refusal refusal = new GridJournal.Refusal(inUse(outcome.foreign()), false);
                if (lost == null || lost.retryable()) log.error("{}", refusal.reason());
                lost = refusal;
            }
        } catch (SQLException | RuntimeException e) {
            Duration unconfirmed = Duration.ofNanos(System.nanoTime() - confirmedNanos);
            if (!renewalFailing) log.warn("could not renew this node's claim on {}: {}", description, e.getMessage());
            renewalFailing = true;
            if (unconfirmed.compareTo(lease.lease()) > 0 && lost == null) {
                // Another grid may take the journal over now: stop writing until the claim is renewed.
                lost = new GridJournal.Refusal("this node could not renew its claim on " + description + " for "
                    + unconfirmed.toSeconds() + " s (" + e.getMessage() + "); it writes nothing until it can", true);
                log.error("{}", lost.reason());
            }
        }
    }

    /** Frees the journal for other grids when this node stops, unless another node of its grid still uses it. */
    private synchronized void release() {
        released = true;
        if (renewals != null) renewals.cancel();
        try (Connection c = db.connect()) {
            lease.release(c, self);
        } catch (SQLException | RuntimeException e) {
            log.warn("could not release this node's claim on {} ({}): another grid can use it {} s after this node's "
                + "last renewal", description, e.getMessage(), lease.lease().toSeconds());
        }
    }

    /** This node as the owners' table knows it. */
    private OwnerLease.Node self() {
        long pid = ProcessHandle.current().pid();
        String machine;
        try {
            machine = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            machine = System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
        if (GridJournal.clustered(system)) {
            UniqueAddress me = Cluster.get(system).selfMember().uniqueAddress();
            return new OwnerLease.Node(NodeAddress.of(me.address()), me.longUid(), machine, pid);
        }
        // A local actor system (tools, tests): a cluster of one.
        return new OwnerLease.Node(system.address() + "#" + pid, localUid, machine, pid);
    }

    /**
     * Whether {@code node} belongs to this node's cluster: a member now, or one this node has seen
     * as a member (a node that died and was removed keeps a fresh claim for up to a lease).
     */
    private boolean ours(OwnerLease.Node node) {
        if (!GridJournal.clustered(system)) return false;
        for (Member m : Cluster.get(system).state().getMembers()) remember(m);
        return seenMembers.contains(node.address() + "#" + node.uid());
    }

    private String inUse(List<OwnerLease.Claim> foreign) {
        OwnerLease.Claim newest = foreign.get(0);
        String others = foreign.size() == 1 ? "" : " (and " + (foreign.size() - 1) + " more: "
            + foreign.subList(1, foreign.size()).stream().map(c -> c.node().address()).collect(Collectors.joining(", ")) + ")";
        return description + " is in use by another grid: its node " + newest.node() + " renewed its claim "
            + seconds(newest.age()) + " ago" + others + ". To use that grid, run with --seed and the host:port of one "
            + "of its heads; for a grid of its own, give this one another journal: GRID_DATA_DIR (grid.data-dir) for "
            + "another directory, or GRID_JOURNAL_URL (grid.journal.url). A grid that stopped without releasing the "
            + "journal frees it " + lease.lease().toSeconds() + " s after its last renewal"
            + " (here in " + seconds(lease.lease().minus(newest.age())) + ", if that grid is gone)";
    }

    private static String seconds(Duration age) {
        return Math.max(0, age.toMillis()) / 100 / 10.0 + " s";
    }
}
