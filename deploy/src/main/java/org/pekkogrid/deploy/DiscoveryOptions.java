package org.pekkogrid.deploy;

import java.util.Map;
import picocli.CommandLine.Option;

/** How a head or worker finds the cluster without seeds: Cluster Bootstrap, and its management endpoint. */
final class DiscoveryOptions {

    @Option(names = "--discovery", paramLabel = "METHOD",
        description = "Find the heads without --seed: kubernetes (the head pods, through the Kubernetes API) or config "
            + "(pekko.discovery.config.services); seeds is the default (GRID_DISCOVERY). Starts Pekko Management with "
            + "the health checks /ready and /alive.")
    String method;

    @Option(names = "--management-host", paramLabel = "HOST",
        description = "Address of Pekko Management with --discovery (default 127.0.0.1; in a pod its IP).")
    String host;

    @Option(names = "--management-port", paramLabel = "PORT",
        description = "Port of Pekko Management with --discovery (default 7626).")
    Integer port;

    /** Puts these flags' settings into {@code flags}. */
    void addTo(Map<String, Object> flags) {
        if (method != null) flags.put("grid.discovery.method", method);
        if (host != null) flags.put("grid.management.host", host);
        if (port != null) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--management-port must be within 0..65535, got " + port);
            }
            flags.put("grid.management.port", port);
        }
    }

    /** What a ready line says about management, when it runs. */
    static String describe(com.typesafe.config.Config config) {
        if (!ClusterBootstrapping.enabled(config)) return "";
        return "; found the cluster by " + config.getString("grid.discovery.method") + " discovery; health at http://"
            + config.getString("grid.management.host") + ":" + config.getInt("grid.management.port") + "/ready";
    }
}
