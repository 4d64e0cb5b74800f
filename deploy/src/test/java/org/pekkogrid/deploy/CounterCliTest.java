package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grid counter}: exit statuses, and a local counter that outlives the invocation that made it. */
class CounterCliTest {

    @TempDir
    Path dir;

    /** Runs the command line in this JVM; returns its exit status and what it printed on stdout and stderr. */
    private record Run(int status, String out, String err) {}

    private Run grid(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
        try {
            return new Run(GridMain.execute(args), captured.toString(StandardCharsets.UTF_8),
                capturedErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private String config() throws IOException {
        Path conf = dir.resolve("grid.conf");
        // A long attempt: a retry would make "counted before" ambiguous (see CounterHandle).
        Files.writeString(conf, "grid.data-dir = \"" + dir.resolve("data") + "\"\ngrid.client.connect-timeout = 2s\n"
            + "grid.client.counter.attempt-timeout = 60s\n");
        return conf.toString();
    }

    @Test
    void badInputExitsWithStatus2BeforeAnythingStarts() throws IOException {
        assertEquals(2, grid("counter", "incr", "no spaces please").status());
        assertEquals(2, grid("counter", "incr", "visits", "--by", "0").status());
        assertEquals(2, grid("counter", "incr", "visits", "--by", "99999999999999999999").status());
        assertEquals(2, grid("counter", "incr", "visits", "--request-id", "not valid").status());
        assertEquals(2, grid("counter", "get", "visits", "--seed", "no-port").status());
        assertEquals(2, grid("counter").status());
        assertTrue(Files.notExists(dir.resolve("data")), "nothing was started, nothing written");
    }

    @Test
    void anUnreachableSeedExitsWithStatus2() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertEquals(2, grid("counter", "get", "visits", "--seed", "127.0.0.1:" + closedPort, "--config", config()).status());
    }

    @Test
    void aLocalCounterOutlivesTheInvocationThatMadeIt() throws IOException {
        Run first = grid("counter", "incr", "visits", "--by", "5", "--request-id", "cli-1", "--json", "--config", config());
        assertEquals(0, first.status(), first.out());
        JsonNode json = JobSession.JSON.readTree(first.out());
        assertEquals("visits", json.get("counter").asText());
        assertEquals(5, json.get("value").asLong());
        assertTrue(json.get("applied").asBoolean());
        assertEquals("cli-1", json.get("requestId").asText());

        // Another invocation, another embedded grid, the same journal file: the retried request
        // id is recognised, and the value is still there.
        Run retry = grid("counter", "incr", "visits", "--by", "5", "--request-id", "cli-1", "--config", config());
        assertEquals(0, retry.status(), retry.out());
        assertEquals("visits = 5  (request id cli-1 was counted before; not counted again)", retry.out().strip());
    }

    /**
     * The reported sequence (issue 12): a head and a worker JVM on one data directory, and an
     * embedded grid started on the same directory by a {@code grid counter} without --seed. The
     * embedded grid used to write the same journal (X = 6), and the worker then acknowledged an
     * increment it never stored (X = 13). Now the second grid is refused and nothing is lost.
     */
    @Test
    void anEmbeddedGridOnTheJournalOfARunningGridIsRefusedAndCountsNothing() throws Exception {
        Path data = dir.resolve("data");
        Path conf = dir.resolve("nodes.conf");
        Files.writeString(conf, "grid.worker.warm-up = 0ms\ngrid.worker.probe-tags = off\n");
        Map<String, String> env = Map.of("GRID_DATA_DIR", data.toString());
        Path logs = Files.createDirectories(Path.of("target", "counter-cli-test"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long started = System.nanoTime();
        try (ChildJvm head = ChildJvm.start("head", logs, env, "head", "--port", String.valueOf(port), "--config",
                conf.toString(), "--exit-on-stdin-eof")) {
            String seed = head.awaitReady(60);
            try (ChildJvm worker = ChildJvm.start("worker", logs, env, "worker", "--seed", seed, "--cores", "1", "--config",
                    conf.toString(), "--exit-on-stdin-eof")) {
                worker.awaitReady(60);
                long ready = System.nanoTime();

                Run five = grid("counter", "incr", "X", "--by", "5", "--seed", seed);
                assertEquals(0, five.status(), five.err());
                assertEquals("X = 5  (+5)", five.out().strip());

                // As in the report: the README's `grid counter incr X` without --seed, on the same journal.
                long embeddedStarted = System.nanoTime();
                Run embedded = grid("counter", "incr", "X", "--by", "1", "--config", config());
                long embeddedEnded = System.nanoTime();
                assertEquals(GridMain.FAILED, embedded.status(), embedded.out());
                assertEquals("", embedded.out(), "no value is printed");
                String refusal = embedded.err();
                assertTrue(refusal.contains(data.resolve("counters") + ".mv.db") && refusal.contains("in use by another grid")
                    && refusal.contains("--seed") && refusal.contains("GRID_DATA_DIR"), refusal);

                Run two = grid("counter", "incr", "X", "--by", "2", "--seed", seed);
                assertEquals(0, two.status(), two.err());
                assertEquals("X = 7  (+2)", two.out().strip(), "the refused grid counted nothing");
                Run get = grid("counter", "get", "X", "--seed", seed);
                assertEquals("X = 7", get.out().strip(), get.err());
                System.out.printf("head and worker ready in %.1f s; the embedded grid refused in %.1f s: %s; the whole "
                        + "sequence %.1f s%n", (ready - started) / 1e9, (embeddedEnded - embeddedStarted) / 1e9,
                    refusal.strip(), (System.nanoTime() - ready) / 1e9);
            }
        }
    }
}
