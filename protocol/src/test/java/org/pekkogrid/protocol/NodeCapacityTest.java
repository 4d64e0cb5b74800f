package org.pekkogrid.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeCapacityTest {

    private static final NodeCapacity FOUR_CORES = new NodeCapacity(4, 8L << 30, Set.of("opencv", "gpu"));

    private static Set<String> workerRoles(NodeCapacity capacity) {
        Set<String> roles = new HashSet<>(capacity.toRoles());
        roles.add(Roles.WORKER);
        roles.add("dc-default");  // every member carries its data centre as a role
        return roles;
    }

    @Test
    void capacityTravelsAsRolesAndBack() {
        assertEquals(List.of("grid-cores-4", "grid-heap-8589934592", "grid-tag-gpu", "grid-tag-opencv"),
            FOUR_CORES.toRoles());
        assertEquals(Optional.of(FOUR_CORES), NodeCapacity.fromRoles(workerRoles(FOUR_CORES)));
        NodeCapacity bare = new NodeCapacity(1, 0, Set.of());
        assertEquals(Optional.of(bare), NodeCapacity.fromRoles(workerRoles(bare)));
    }

    @Test
    void membersThatAreNotWorkersOfferNothing() {
        Set<String> roles = new HashSet<>(FOUR_CORES.toRoles());
        roles.add(Roles.HEAD);
        assertEquals(Optional.empty(), NodeCapacity.fromRoles(roles));
        assertEquals(Optional.empty(), NodeCapacity.fromRoles(Set.of(Roles.HEAD, "dc-default")));
    }

    @Test
    void malformedCapacityRolesOfferNothing() {
        assertEquals(Optional.empty(), NodeCapacity.fromRoles(Set.of(Roles.WORKER, "grid-cores-many")));
        assertEquals(Optional.empty(), NodeCapacity.fromRoles(Set.of(Roles.WORKER, "grid-cores-0")));
        assertEquals(Optional.empty(), NodeCapacity.fromRoles(Set.of(Roles.WORKER)));
    }

    @Test
    void plainRolesHideTheEncoding() {
        assertEquals(Set.of("worker"), NodeCapacity.plainRoles(workerRoles(FOUR_CORES)));
    }

    @Test
    void concurrencyIsBoundByCoresMemoryAndTags() {
        assertEquals(4, FOUR_CORES.concurrencyFor(Requirements.NONE));
        assertEquals(2, FOUR_CORES.concurrencyFor(Requirements.parse("cpus=1.5")));
        assertEquals(8, FOUR_CORES.concurrencyFor(Requirements.parse("cpus=0.5")));
        assertEquals(1, FOUR_CORES.concurrencyFor(Requirements.parse("cpus=4")));
        assertEquals(0, FOUR_CORES.concurrencyFor(Requirements.parse("cpus=5")));
        assertEquals(3, FOUR_CORES.concurrencyFor(Requirements.parse("memory=2600m")));
        assertEquals(2, FOUR_CORES.concurrencyFor(Requirements.parse("cpus=2,memory=1g,tags=gpu")));
        assertEquals(0, FOUR_CORES.concurrencyFor(Requirements.parse("tags=fpga")));
        assertEquals(0, FOUR_CORES.concurrencyFor(Requirements.parse("memory=9g")));
    }

    @Test
    void unmetSaysWhichRequirementFailsAndWhatTheNodeHas() {
        assertEquals(Optional.empty(), FOUR_CORES.unmet(Requirements.parse("cpus=4,memory=8g,tags=gpu+opencv")));
        assertEquals(Optional.of("tags=fpga+tpu"), FOUR_CORES.unmet(Requirements.parse("tags=tpu+gpu+fpga")));
        assertEquals(Optional.of("cpus=6.0 (it has 4)"), FOUR_CORES.unmet(Requirements.parse("cpus=6")));
        assertEquals(Optional.of("memory=16g (its heap is 8g)"), FOUR_CORES.unmet(Requirements.parse("memory=16g")));
    }

    @Test
    void aNodeHasAtLeastOneCore() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new NodeCapacity(0, 1L << 30, Set.of()));
        assertTrue(e.getMessage().contains("cores"), e.getMessage());
    }
}
