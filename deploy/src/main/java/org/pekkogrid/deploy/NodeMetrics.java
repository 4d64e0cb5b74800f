package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kamon.Kamon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kamon and the {@code /metrics} endpoint of this JVM. Kamon is one per JVM, so the nodes of an
 * embedded grid share them: the first node to start sets host, port and tick, later ones get the
 * same endpoint (their series differ by the {@code node} tag), and the last one to stop stops
 * Kamon. Start before the node's actor system, so its first messages are counted.
 */
final class NodeMetrics {

    /** A node's hold on the JVM's metrics; {@link #NONE} for a node without metrics. */
    interface Lease extends AutoCloseable {
        Lease NONE = new Lease() {
            @Override
            public int port() {
                return 0;
            }

            @Override
            public void close() {}
        };

        /** Port of {@code /metrics}, or 0 without metrics. */
        int port();

        default boolean enabled() {
            return port() > 0;
        }

        /** Idempotent. */
        @Override
        void close();
    }

    private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);
    private static final long STOP_SECONDS = 10;

    private static PrometheusEndpoint endpoint;
    private static int holders;

    private NodeMetrics() {}

    static Lease start(Config config) {
        MetricsSettings settings = MetricsSettings.from(config);
        return settings.enabled() ? acquire(settings, config) : Lease.NONE;
    }

    private static synchronized Lease acquire(MetricsSettings settings, Config config) {
        if (holders == 0) {
            endpoint = PrometheusEndpoint.start(settings);
            try {
                Kamon.initWithoutAttaching(kamonConfig(settings, config));
            } catch (RuntimeException e) {
                endpoint.close();
                throw e;
            }
            log.info("metrics for Prometheus at http://{}:{}{} (Kamon {}, a snapshot every {} ms)", endpoint.host(),
                endpoint.port(), PrometheusEndpoint.PATH, kamon.status.BuildInfo.version(),
                settings.tickInterval().toMillis());
        }
        holders++;
        int port = endpoint.port();
        return new Lease() {
            private boolean closed;

            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                synchronized (NodeMetrics.class) {
                    if (closed) return;
                    closed = true;
                    release();
                }
            }
        };
    }

    private static void release() {
        if (--holders > 0) return;
        endpoint.close();
        endpoint = null;
        try {
            scala.jdk.javaapi.FutureConverters.asJava(Kamon.stop()).toCompletableFuture().get(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Kamon did not stop within {}s: {}", STOP_SECONDS, e.toString());
        }
    }

    /** Kamon's settings that follow grid.metrics; the rest of kamon.* comes from the node's config as given. */
    static Config kamonConfig(MetricsSettings settings, Config config) {
        return ConfigFactory.parseMap(Map.of(
                "kamon.metric.tick-interval", settings.tickInterval().toMillis() + "ms",
                // The grid serves /metrics itself (PrometheusEndpoint), on the port it advertises.
                "kamon.prometheus.start-embedded-http-server", false,
                "kamon.modules.host-metrics.enabled", settings.hostMetrics(),
                // Its HTTP client (OkHttp) is left out of grid.jar.
                "kamon.modules.pushgateway-reporter.enabled", false))
            .withFallback(config);
    }
}
