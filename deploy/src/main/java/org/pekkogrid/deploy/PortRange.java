package org.pekkogrid.deploy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * Finds a port to listen on: the first free one of {@code port .. port+range-1}, so that several
 * nodes on one machine each get one with no set-up (9095, 9096, ...), or any free port for 0.
 */
final class PortRange {

    /** Binds a server to an address, or throws {@link BindException} when the port is taken. */
    interface Binder<T> {
        T bind(InetSocketAddress address) throws IOException;
    }

    private PortRange() {}

    /**
     * @param setting the config path the host and port came from, for the error message
     * @return what {@code binder} bound on the first port that was free
     */
    static <T> T bindFirstFree(String setting, String host, int port, int range, Binder<T> binder) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(setting + ".host \"" + host + "\" is not a known host or address");
        }
        int last = port == 0 ? 0 : Math.min(65535, port + Math.max(1, range) - 1);
        IOException lastFailure = null;
        for (int p = port; p <= last; p++) {
            try {
                return binder.bind(new InetSocketAddress(address, p));
            } catch (BindException e) {
                lastFailure = e;
            } catch (IOException e) {
                throw new IllegalStateException(setting + ": cannot listen on " + host + ":" + p + ": " + e.getMessage(), e);
            }
        }
        String ports = port == 0 ? "a free port" : port == last ? "port " + port : "ports " + port + ".." + last;
        throw new IllegalArgumentException(setting + ": cannot listen on " + host + " " + ports + " ("
            + lastFailure.getMessage() + "); pick another port (0 takes any free one) or turn " + setting
            + ".enabled off");
    }

    /**
     * A free port held by a bound socket, for a server that can bind it only later (after the
     * actor system it needs has started): close the socket just before that server binds. Nodes
     * started at once on one machine would otherwise pick the same "free" port.
     */
    static ServerSocket reserve(String setting, String host, int port, int range) {
        return bindFirstFree(setting, host, port, range, address -> {
            ServerSocket socket = new ServerSocket();
            try {
                socket.bind(address);
                return socket;
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        });
    }
}
