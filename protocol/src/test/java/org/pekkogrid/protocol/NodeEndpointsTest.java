package org.pekkogrid.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeEndpointsTest {

    @Test
    void portsTravelAsRolesAndComeBack() {
        NodeEndpoints head = new NodeEndpoints(9095, 8558);
        assertEquals(List.of("grid-metrics-9095", "grid-http-8558"), head.toRoles());
        Set<String> roles = new HashSet<>(head.toRoles());
        roles.add(Roles.HEAD);
        assertEquals(head, NodeEndpoints.fromRoles(roles));
    }

    @Test
    void aNodeWithoutEndpointsAdvertisesNone() {
        assertEquals(List.of(), NodeEndpoints.NONE.toRoles());
        assertEquals(NodeEndpoints.NONE, NodeEndpoints.fromRoles(Set.of(Roles.WORKER, "grid-cores-2")));
        assertEquals(new NodeEndpoints(9096, 0), NodeEndpoints.fromRoles(Set.of(Roles.WORKER, "grid-metrics-9096")));
    }

    @Test
    void garbledPortsReadAsNone() {
        assertEquals(NodeEndpoints.NONE, NodeEndpoints.fromRoles(Set.of("grid-metrics-lots", "grid-http-70000")));
    }

    @Test
    void peopleSeeTheRolesWithoutThePorts() {
        assertEquals(Set.of(Roles.WORKER), NodeCapacity.plainRoles(Set.of(Roles.WORKER, "grid-metrics-9096")));
    }

    @Test
    void portsOutOfRangeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NodeEndpoints(-1, 0));
        assertEquals("metricsPort must be within 0..65535, got -1", e.getMessage());
    }
}
