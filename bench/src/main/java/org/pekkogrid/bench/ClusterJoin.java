package org.pekkogrid.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.pekkogrid.client.GridClient;

/**
 * How long a growth of the simulated cluster took to settle, as the head saw it. The cluster grows
 * in steps of at most {@link #NODES_PER_STEP} nodes: dozens of actor systems starting at once on
 * two cores starve every node's heartbeats.
 *
 * @param convergenceMillis median over the steps: from the last new node's actor system starting
 *                          to join to the head listing every worker node Up (the leader moves a
 *                          member to Up only once every member has seen it join: gossip convergence)
 * @param slotsMillis       median over the steps: from the same moment to the head counting every slot
 * @param joinMillis        from telling the hosts to add the first step's nodes to the head listing
 *                          all Up after the last step (includes starting the actor systems)
 */
record ClusterJoin(int nodes, int slots, int steps, double convergenceMillis, double slotsMillis, double joinMillis) {

    static final int NODES_PER_STEP = 8;
    static final Duration TIMEOUT = Duration.ofMinutes(3);
    static final Duration POLL = Duration.ofMillis(20);

    /** Grows the cluster to {@code slots} in steps, after each polling the head until it counts every node Up and every slot in. */
    static ClusterJoin grow(SimulatedCluster cluster, int slots) throws Exception {
        List<Double> convergence = new ArrayList<>();
        List<Double> registered = new ArrayList<>();
        long firstSent = 0;
        long lastAllUp = 0;
        while (cluster.slots() < slots) {
            int step = Math.min(slots - cluster.slots(), NODES_PER_STEP * SimulatedCluster.SLOTS_PER_NODE);
            int nodes = cluster.nodes() + SimulatedCluster.newNodes(step).size();
            int target = cluster.slots() + step;
            cluster.growTo(target);
            Seen seen = awaitHeadSees(cluster.client(), nodes, target);
            SimulatedCluster.Growth growth = cluster.awaitGrowth();
            if (firstSent == 0) firstSent = growth.commandSentAtMillis();
            lastAllUp = seen.allUpAtMillis();
            convergence.add((double) (seen.allUpAtMillis() - growth.lastStartedAtMillis()));
            registered.add((double) (seen.slotsAtMillis() - growth.lastStartedAtMillis()));
        }
        return new ClusterJoin(cluster.nodes(), cluster.slots(), convergence.size(), Spread.of(convergence).median(),
            Spread.of(registered).median(), lastAllUp - firstSent);
    }

    /** Wall-clock times at which the head first counted every worker node Up, and every slot. */
    private record Seen(long allUpAtMillis, long slotsAtMillis) {}

    private static Seen awaitHeadSees(GridClient client, int nodes, int slots) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long allUpAt = 0;
        long slotsAt = 0;
        while (allUpAt == 0 || slotsAt == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the head did not see " + nodes + " worker nodes Up with " + slots
                    + " slots within " + TIMEOUT.toMinutes() + " minutes");
            }
            try {
                Grids.Size size = Grids.size(client);
                long now = System.currentTimeMillis();
                if (allUpAt == 0 && size.workerNodes() >= nodes) allUpAt = now;
                if (slotsAt == 0 && size.slots() >= slots) slotsAt = now;
            } catch (ExecutionException | TimeoutException e) {
                // a head busy taking nodes in may answer late: ask again
            }
            Thread.sleep(POLL.toMillis());  // the client hears no event when a member comes Up
        }
        return new Seen(allUpAt, slotsAt);
    }
}
