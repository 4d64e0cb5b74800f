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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grid counter}: exit statuses, and a local counter that outlives the invocation that made it. */
class CounterCliTest {

    @TempDir
    Path dir;

    /** Runs the command line in this JVM; returns its exit status and what it printed on stdout. */
    private record Run(int status, String out) {}

    private Run grid(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return new Run(GridMain.execute(args), captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
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
}
