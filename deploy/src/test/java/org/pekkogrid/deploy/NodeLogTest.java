package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class NodeLogTest {

    private static Config config(Map<String, String> env, Map<String, Object> flags) {
        return NodeConfig.load(null, env, flags);
    }

    @Test
    void withoutALogDirANodeLogsToStderrOnly() {
        assertNull(NodeLog.start(config(Map.of(), Map.of()), "head"));
    }

    @Test
    void aLogDirGivesARollingFileNamedAfterTheNodeBoundedInSize(@TempDir Path dir) throws Exception {
        Path logs = dir.resolve("logs");
        Config config = config(Map.of("GRID_LOG_DIR", logs.toString()), Map.of("grid.port", 2551));
        try (NodeLog log = NodeLog.start(config, "head")) {
            assertEquals(logs.resolve("head-2551.log"), log.file());
            LoggerFactory.getLogger(NodeLogTest.class).warn("a line for the file");
            String written = Files.readString(log.file());
            assertTrue(written.contains("WARN  [") && written.contains("NodeLogTest - a line for the file"), written);

            var policy = (SizeAndTimeBasedRollingPolicy<?>) log.appender().getRollingPolicy();
            assertEquals(logs.resolve("head-2551.%d{yyyy-MM-dd}.%i.log.gz").toString(), policy.getFileNamePattern());
            assertEquals(7, policy.getMaxHistory());
        }
        LoggerFactory.getLogger(NodeLogTest.class).warn("after close");
        assertTrue(!Files.readString(logs.resolve("head-2551.log")).contains("after close"), "detached on close");
    }

    @Test
    void aWorkerOnAPortTheOsPicksNamesItsFileAfterItsPid(@TempDir Path dir) {
        Config config = config(Map.of(), Map.of("grid.port", 0, "grid.log.dir", dir.toString(),
            "grid.log.max-file-size", "1MB", "grid.log.total-size-cap", "5MB", "grid.log.max-history", 2));
        try (NodeLog log = NodeLog.start(config, "worker")) {
            assertEquals(dir.resolve("worker-pid" + ProcessHandle.current().pid() + ".log"), log.file());
            var policy = (SizeAndTimeBasedRollingPolicy<?>) log.appender().getRollingPolicy();
            assertEquals(2, policy.getMaxHistory());
        }
    }

    @Test
    void aLogDirThatCannotBeMadeIsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        String message = assertThrows(IllegalArgumentException.class,
            () -> NodeLog.start(config(Map.of(), Map.of("grid.log.dir", file.resolve("logs").toString())), "head"))
            .getMessage();
        assertTrue(message.startsWith("--log-dir " + file.resolve("logs") + ": cannot make the directory"), message);
    }
}
