package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortRangeTest {

    @Test
    void aTakenPortMovesToTheNextOneOfTheRange() throws Exception {
        try (ServerSocket taken = listen(0)) {
            int first = taken.getLocalPort();
            try (ServerSocket reserved = PortRange.reserve("grid.metrics", "127.0.0.1", first, 10)) {
                int got = reserved.getLocalPort();
                assertNotEquals(first, got);
                assertTrue(got > first && got < first + 10, "got " + got + " after " + first);
            }
        }
    }

    @Test
    void aReservedPortStaysTakenUntilClosedSoTwoNodesStartedAtOnceGetTwoPorts() throws Exception {
        try (ServerSocket probe = listen(0)) {
            int first = probe.getLocalPort();
            probe.close();
            try (ServerSocket one = PortRange.reserve("grid.http", "127.0.0.1", first, 10);
                 ServerSocket two = PortRange.reserve("grid.http", "127.0.0.1", first, 10)) {
                assertEquals(first, one.getLocalPort());
                assertTrue(two.getLocalPort() > first, "second reservation got " + two.getLocalPort());
            }
        }
    }

    @Test
    void portZeroTakesAnyFreePort() throws Exception {
        try (ServerSocket reserved = PortRange.reserve("grid.http", "127.0.0.1", 0, 10)) {
            assertTrue(reserved.getLocalPort() > 0);
        }
    }

    @Test
    void aRangeAllTakenSaysWhichPortsAndWhatToDo() throws Exception {
        try (ServerSocket taken = listen(0)) {
            int port = taken.getLocalPort();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PortRange.reserve("grid.metrics", "127.0.0.1", port, 1));
            assertTrue(e.getMessage().startsWith("grid.metrics: cannot listen on 127.0.0.1 port " + port + " ("),
                e.getMessage());
            assertTrue(e.getMessage().contains("0 takes any free one") && e.getMessage().contains("grid.metrics.enabled"),
                e.getMessage());
        }
    }

    @Test
    void anUnknownHostIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PortRange.reserve("grid.http", "no-such-host.invalid", 8558, 1));
        assertEquals("grid.http.host \"no-such-host.invalid\" is not a known host or address", e.getMessage());
    }

    private static ServerSocket listen(int port) throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        return socket;
    }
}
