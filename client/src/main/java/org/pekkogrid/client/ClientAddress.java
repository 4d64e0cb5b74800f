package org.pekkogrid.client;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;

/**
 * The address a client advertises. The heads send a job's events to it, so it must be one they
 * can reach: loopback (the default {@code grid.host}) serves heads on this machine; for a head on
 * another machine the client takes the address of its interface that routes there.
 */
final class ClientAddress {

    private ClientAddress() {}

    /** The config, with {@code grid.host} set to an address the first remote seed can reach, if need be. */
    static Config reachableFrom(List<String> seeds, Config config) {
        String host = config.getString("grid.host");
        if (!isLoopback(host)) return config;
        for (String seed : seeds) {
            String seedHost = seed.substring(0, seed.lastIndexOf(':'));
            if (isLoopback(seedHost)) continue;
            try (DatagramSocket probe = new DatagramSocket()) {
                // Connecting a datagram socket sends nothing: it only asks the OS for the route.
                probe.connect(InetAddress.getByName(seedHost), Integer.parseInt(seed.substring(seed.lastIndexOf(':') + 1)));
                InetAddress local = probe.getLocalAddress();
                if (local != null && !local.isAnyLocalAddress()) {
                    return config.withValue("grid.host", ConfigValueFactory.fromAnyRef(local.getHostAddress()));
                }
            } catch (IOException | RuntimeException e) {
                // no route known: keep the configured host, and the connect error will say so
            }
            return config;
        }
        return config;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
