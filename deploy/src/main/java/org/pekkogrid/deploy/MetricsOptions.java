package org.pekkogrid.deploy;

import java.util.Map;
import picocli.CommandLine.Option;

/** A daemon's metrics flags: where it serves /metrics, or none. */
final class MetricsOptions {

    @Option(names = "--metrics-port", paramLabel = "PORT",
        description = "First port tried for Prometheus /metrics (default 9095, then 9096...; 0 picks a free one).")
    Integer port;

    @Option(names = "--no-metrics", description = "Serve no metrics (grid.metrics.enabled = off).")
    boolean off;

    /** Puts these flags' settings into {@code flags}. */
    void addTo(Map<String, Object> flags) {
        if (off) flags.put("grid.metrics.enabled", false);
        if (port != null) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--metrics-port must be within 0..65535, got " + port);
            }
            flags.put("grid.metrics.port", port);
        }
    }

    /** What a ready line says about metrics. */
    static String describe(String host, int port) {
        return port > 0 ? "; metrics at http://" + host + ":" + port + PrometheusEndpoint.PATH : "";
    }
}
