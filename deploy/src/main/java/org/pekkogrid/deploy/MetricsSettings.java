package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * A node's metrics settings, from {@code grid.metrics}.
 *
 * @param port         first port tried for /metrics; 0 for any free one
 * @param portRange    ports tried from {@code port} on
 * @param tickInterval how often Kamon snapshots its instruments for /metrics
 * @param hostMetrics  also collect the whole machine's CPU, memory, network and disks
 * @param token        what callers of /metrics must present, when set (GRID_HTTP_TOKEN)
 */
record MetricsSettings(boolean enabled, String host, int port, int portRange, Duration tickInterval,
                       boolean hostMetrics, org.pekkogrid.head.BearerToken token) {

    MetricsSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("grid.metrics.port must be within 0..65535, got " + port);
        }
        if (portRange < 1) throw new IllegalArgumentException("grid.metrics.port-range must be at least 1, got " + portRange);
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("grid.metrics.host is empty; say which interface to listen on");
        }
        if (tickInterval.toMillis() < 100) {
            throw new IllegalArgumentException("grid.metrics.tick-interval must be at least 100ms, got " + tickInterval);
        }
    }

    static MetricsSettings from(Config config) {
        Config c = config.getConfig("grid.metrics");
        return new MetricsSettings(c.getBoolean("enabled"), c.getString("host"), c.getInt("port"),
            c.getInt("port-range"), c.getDuration("tick-interval"), c.getBoolean("host-metrics"),
            org.pekkogrid.head.BearerToken.of(c.hasPath("token") ? c.getString("token") : ""));
    }
}
