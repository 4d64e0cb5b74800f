package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A head and a worker started with --log-dir log to a file each, and grid status says where. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogDirTest {

    private final Path logs = ChildNode.LOGS.resolve("log-dir-" + System.nanoTime()).toAbsolutePath();
    private final List<ChildNode> nodes = new ArrayList<>();
    private int headPort;
    private String head;
    private Path headLog;
    private Path workerLog;

    @BeforeAll
    void startAHeadAndAWorkerWithALogDir() throws Exception {
        headPort = ChildNode.freePort();
        ChildNode h = ChildNode.start("log-dir-head", "head", "--port", String.valueOf(headPort), "--http-port", "0",
            "--metrics-port", "0", "--no-journal", "--log-dir", logs.toString(), "--exit-on-stdin-eof");
        nodes.add(h);
        String headReady = h.awaitLine("head ready at ", ChildGrid.READY_TIMEOUT);
        head = ChildGrid.readyAddress(h, "head");
        headLog = Path.of(headReady.substring(headReady.indexOf("; logs to ") + "; logs to ".length()));
        ChildNode w = ChildNode.start("log-dir-worker", "worker", "--seed", head, "--cores", "1", "--metrics-port", "0",
            "--log-dir", logs.toString(), "--exit-on-stdin-eof");
        nodes.add(w);
        String workerReady = w.awaitLine("worker ready at ", ChildGrid.READY_TIMEOUT);
        workerLog = Path.of(workerReady.substring(workerReady.indexOf("; logs to ") + "; logs to ".length()));
    }

    @AfterAll
    void stop() {
        ChildNode.stopAll(nodes);
    }

    @Test
    void eachNodeLogsToAFileOfItsOwnInTheLogDir() throws Exception {
        assertEquals(logs.resolve("head-" + headPort + ".log"), headLog);
        assertEquals(logs, workerLog.getParent());
        assertTrue(workerLog.getFileName().toString().matches("worker-pid\\d+\\.log"), workerLog.toString());
        for (Path log : List.of(headLog, workerLog)) {
            String text = Files.readString(log);
            assertTrue(text.contains(" INFO  ["), log + " holds the node's INFO lines:\n" + text);
        }
        assertTrue(Files.readString(headLog).contains("is JOINING"), "the head's log has the cluster's events");
    }

    @Test
    void gridStatusSaysWhereEachNodeLogs() throws Exception {
        ChildNode status = ChildNode.start("log-dir-status", "status", "--seed", head);
        nodes.add(status);
        status.awaitLine("no jobs yet", ChildGrid.READY_TIMEOUT);
        assertEquals(0, status.awaitExit(Duration.ofSeconds(60)));
        List<String> out = status.stdout();
        int at = out.indexOf("logs (besides stderr, on each node's host):");
        assertTrue(at > 0, String.join("\n", out));
        List<String> listed = out.subList(at + 1, at + 3);
        assertTrue(listed.stream().anyMatch(l -> l.endsWith(" " + headLog)), String.join("\n", out));
        assertTrue(listed.stream().anyMatch(l -> l.endsWith(" " + workerLog)), String.join("\n", out));
    }
}
