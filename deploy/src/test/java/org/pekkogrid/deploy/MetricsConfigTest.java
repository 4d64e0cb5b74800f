package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.head.HttpApiSettings;

class MetricsConfigTest {

    @Test
    void embeddedNodesAndClientsServeNothingByDefault() {
        Config config = NodeConfig.load(null, Map.of(), Map.of());
        MetricsSettings metrics = MetricsSettings.from(config);
        assertFalse(metrics.enabled());
        assertFalse(HttpApiSettings.from(config).enabled());
        assertEquals("127.0.0.1", metrics.host());
        assertEquals(9095, metrics.port());
        assertEquals(Duration.ofSeconds(10), metrics.tickInterval());
        assertEquals("127.0.0.1", HttpApiSettings.from(config).host());
        assertEquals(8558, HttpApiSettings.from(config).port());
    }

    @Test
    void daemonsServeMetricsOnLoopbackUnlessConfigured() {
        Config head = NodeConfig.load(null, Map.of(), Map.of(), HeadCommand.DEFAULTS);
        assertTrue(MetricsSettings.from(head).enabled());
        assertTrue(HttpApiSettings.from(head).enabled());
        assertEquals("127.0.0.1", MetricsSettings.from(head).host());
        assertEquals(2551, head.getInt("grid.port"));
        assertTrue(MetricsSettings.from(NodeConfig.load(null, Map.of(), Map.of(), WorkerCommand.DEFAULTS)).enabled());
    }

    @Test
    void environmentAndFileOverrideTheDaemonsDefaults(@TempDir Path dir) throws Exception {
        Config env = NodeConfig.load(null, Map.of("GRID_METRICS", "off", "GRID_HTTP_PORT", "0", "GRID_PORT", "2600",
            "GRID_METRICS_HOST", "0.0.0.0"), Map.of(), HeadCommand.DEFAULTS);
        assertFalse(MetricsSettings.from(env).enabled());
        assertEquals("0.0.0.0", MetricsSettings.from(env).host());
        assertEquals(0, HttpApiSettings.from(env).port());
        assertEquals(2600, env.getInt("grid.port"));

        Path file = Files.writeString(dir.resolve("grid.conf"), "grid.metrics { enabled = off, port = 9200 }\n");
        Config fromFile = NodeConfig.load(file, Map.of(), Map.of(), WorkerCommand.DEFAULTS);
        assertFalse(MetricsSettings.from(fromFile).enabled());
        assertEquals(9200, MetricsSettings.from(fromFile).port());

        Config flags = NodeConfig.load(file, Map.of(), Map.of("grid.metrics.enabled", true), WorkerCommand.DEFAULTS);
        assertTrue(MetricsSettings.from(flags).enabled());
    }

    @Test
    void badEnvironmentValuesAreNamed() {
        IllegalArgumentException onOff = assertThrows(IllegalArgumentException.class,
            () -> NodeConfig.load(null, Map.of("GRID_METRICS", "maybe"), Map.of()));
        assertEquals("GRID_METRICS=maybe is neither on nor off", onOff.getMessage());
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
            () -> NodeConfig.load(null, Map.of("GRID_METRICS_PORT", "nine"), Map.of()));
        assertEquals("GRID_METRICS_PORT=nine is not a number", port.getMessage());
    }

    @Test
    void kamonTicksAsConfiguredAndServesNoEndpointOfItsOwn() {
        Config config = NodeConfig.load(null, Map.of(), Map.of("grid.metrics.tick-interval", "2s"));
        Config kamon = NodeMetrics.kamonConfig(MetricsSettings.from(config), config);
        assertEquals(Duration.ofSeconds(2), kamon.getDuration("kamon.metric.tick-interval"));
        assertFalse(kamon.getBoolean("kamon.prometheus.start-embedded-http-server"));
        assertFalse(kamon.getBoolean("kamon.modules.host-metrics.enabled"));
        assertTrue(kamon.getBoolean("kamon.modules.jvm-metrics.enabled"));
        assertTrue(kamon.getBoolean("kamon.modules.process-metrics.enabled"));
    }
}
