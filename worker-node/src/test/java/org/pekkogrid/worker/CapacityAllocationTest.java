package org.pekkogrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;
import org.pekkogrid.worker.CapacityAllocation.Region;

/** Where slots go, and which move, by the cores each node advertises. */
class CapacityAllocationTest {

    private static Address node(int n) {
        return new Address("pekko", "grid", "10.0.0." + n, 2552);
    }

    /** A region on node n with these cores and slots; the shard allocation itself needs no ref here. */
    private static Region region(int n, int cores, String... slots) {
        return new Region(null, node(n), cores, new ArrayList<>(List.of(slots)));
    }

    @Test
    void slotsArePlacedInProportionToCores() {
        List<Region> regions = List.of(region(1, 1), region(2, 3));
        for (int slot = 0; slot < 4; slot++) {
            Region chosen = CapacityAllocation.placeFor(regions).orElseThrow();
            chosen.liveShards().add("slot-" + slot);
        }
        Map<String, Integer> slotsPerNode = new TreeMap<>();
        for (Region r : regions) slotsPerNode.put(r.address().getHost().get(), r.liveShards().size());
        assertEquals(Map.of("10.0.0.1", 1, "10.0.0.2", 3), slotsPerNode);
    }

    @Test
    void amongEquallyFreeNodesTheOneWithFewerSlotsThenTheLowerAddressWins() {
        Region busyBig = region(1, 4, "slot-0", "slot-1");
        Region idleSmall = region(2, 2);
        assertEquals(node(2), CapacityAllocation.placeFor(List.of(busyBig, idleSmall)).orElseThrow().address());
        assertEquals(node(3), CapacityAllocation.placeFor(List.of(region(4, 2), region(3, 2))).orElseThrow().address());
    }

    @Test
    void noRegionNoPlace() {
        assertTrue(CapacityAllocation.placeFor(List.of()).isEmpty());
    }

    @Test
    void aNodeHoldingMoreThanItsCoresGivesTheExcessToNodesWithCoresFree() {
        Region crowded = region(1, 2, "slot-0", "slot-1", "slot-2", "slot-3");
        Region joined = region(2, 2);
        assertEquals(Set.of("slot-2", "slot-3"), CapacityAllocation.shardsToMove(List.of(crowded, joined), 10));
    }

    @Test
    void movesAreBoundedByFreeCoresAndByTheRebalanceLimit() {
        Region crowded = region(1, 1, "slot-0", "slot-1", "slot-2", "slot-3");
        assertEquals(Set.of("slot-3"), CapacityAllocation.shardsToMove(List.of(crowded, region(2, 1)), 10),
            "one core free elsewhere: one slot moves");
        assertEquals(1, CapacityAllocation.shardsToMove(List.of(crowded, region(2, 8)), 1).size(),
            "at most the rebalance limit at once");
        assertEquals(Set.of(), CapacityAllocation.shardsToMove(List.of(crowded), 10), "nowhere to go: nothing moves");
    }

    @Test
    void aBalancedGridMovesNothing() {
        assertEquals(Set.of(), CapacityAllocation.shardsToMove(
            List.of(region(1, 2, "slot-0", "slot-1"), region(2, 3, "slot-2")), 10));
    }
}
