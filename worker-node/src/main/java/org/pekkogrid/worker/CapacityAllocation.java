package org.pekkogrid.worker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.dispatch.Futures;
import org.pekkogrid.protocol.NodeCapacity;
import org.pekkogrid.protocol.WorkerSlots;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Places worker slots (one slot per shard) on nodes in proportion to the cores each node
 * advertises: a new slot goes to the node with the most free cores, and rebalancing moves
 * slots off a node that holds more than its cores while another holds fewer.
 *
 * <p>Slots numbered at or above the cluster's total cores have been retired by the head; their
 * shards may still be allocated, but they hold no running slot and are not counted.
 */
public final class CapacityAllocation extends ShardCoordinator.AbstractShardAllocationStrategy {

    private final ActorSystem<?> system;
    private final int maxSimultaneousRebalance;

    public CapacityAllocation(ActorSystem<?> system, int maxSimultaneousRebalance) {
        this.system = system;
        this.maxSimultaneousRebalance = maxSimultaneousRebalance;
    }

    /** A region with what its node offers and the live slots it holds. */
    record Region(ActorRef ref, Address address, int cores, List<String> liveShards) {
        int free() {
            return cores - liveShards.size();
        }
    }

    @Override
    public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
                                          Map<ActorRef, IndexedSeq<String>> current) {
        Optional<Region> best = placeFor(usableRegions(current));
        if (best.isPresent()) return Futures.successful(best.get().ref());
        // No region on a usable worker (membership not seen yet): any region will do, sharding moves it later.
        ActorRef fallback = current.containsKey(requester) ? requester : current.keySet().iterator().next();
        return Futures.successful(fallback);
    }

    @Override
    public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current, Set<String> inProgress) {
        if (!inProgress.isEmpty()) return Futures.successful(new HashSet<>());
        return Futures.successful(shardsToMove(usableRegions(current), maxSimultaneousRebalance));
    }

    /** The region for a new slot: most free cores, then fewest slots, then a stable order by address. */
    static Optional<Region> placeFor(List<Region> regions) {
        return regions.stream()
            .max(Comparator.comparingInt(Region::free)
                .thenComparing(r -> -r.liveShards().size())
                .thenComparing(r -> r.address().toString(), Comparator.reverseOrder()));
    }

    /** Slots to move off regions holding more than their cores, as far as others have cores free. */
    static Set<String> shardsToMove(List<Region> regions, int maxSimultaneousRebalance) {
        Set<String> moving = new HashSet<>();
        int spare = regions.stream().mapToInt(r -> Math.max(0, r.free())).sum();
        List<Region> fullestFirst = new ArrayList<>(regions);
        fullestFirst.sort(Comparator.comparingInt(Region::free));
        for (Region r : fullestFirst) {
            int over = -r.free();
            for (int i = r.liveShards().size() - 1; i >= 0 && over > 0 && spare > 0
                    && moving.size() < maxSimultaneousRebalance; i--) {
                moving.add(r.liveShards().get(i));
                over--;
                spare--;
            }
        }
        return moving;
    }

    private List<Region> usableRegions(Map<ActorRef, IndexedSeq<String>> current) {
        Cluster cluster = Cluster.get(system);
        CurrentClusterState state = cluster.state();
        Set<Member> unreachable = new HashSet<>();
        state.getUnreachable().forEach(unreachable::add);
        Map<Address, NodeCapacity> capacities = new HashMap<>();
        int totalCores = 0;
        for (Member m : state.getMembers()) {
            if (m.status() != MemberStatus.up() && m.status() != MemberStatus.weaklyUp()) continue;
            Optional<NodeCapacity> capacity = NodeCapacity.fromRoles(m.getRoles());
            if (capacity.isEmpty()) continue;
            totalCores += capacity.get().cores();
            if (!unreachable.contains(m)) capacities.put(m.address(), capacity.get());
        }
        List<Region> regions = new ArrayList<>();
        Address self = cluster.selfMember().address();
        for (Map.Entry<ActorRef, IndexedSeq<String>> e : current.entrySet()) {
            Address address = e.getKey().path().address();
            if (!address.hasGlobalScope()) address = self;  // the local region's path has no host
            NodeCapacity capacity = capacities.get(address);
            if (capacity == null) continue;
            List<String> live = new ArrayList<>();
            scala.collection.Iterator<String> it = e.getValue().iterator();
            while (it.hasNext()) {
                String shard = it.next();
                int n = WorkerSlots.slotNumber(shard);
                if (n >= 0 && n < totalCores) live.add(shard);
            }
            regions.add(new Region(e.getKey(), address, capacity.cores(), live));
        }
        return regions;
    }
}
