package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.deploy.CliTest.Outcome;
import org.pekkogrid.protocol.ClusterStatus;

/**
 * Job control from the command line against one grid (a head and a one-core worker on loopback):
 * {@code submit --detach}, {@code jobs}, {@code watch}, {@code cancel}, SIGTERM on a
 * {@code grid submit} in a JVM of its own, and {@code --json} when a job is rejected. The commands
 * run through {@link GridMain#execute}, each a client of its own that leaves when it is done.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JobControlTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private LoopbackGrid grid;

    @BeforeAll
    void startGrid() throws Exception {
        grid = LoopbackGrid.startHead(Map.of("grid.http.enabled", true, "grid.http.port", 0));
        grid.addWorker(1, List.of());
    }

    @AfterAll
    void stopGrid() {
        if (grid != null) grid.close();
    }

    @Test
    void aDetachedJobRunsOnWithoutItsClientAndWatchPrintsItsResult() throws Exception {
        Outcome submitted = grid("submit", "--seed", grid.seed(), "--detach", "sleep", "--param", "millis=20",
            "--chunks", "60");

        assertEquals(GridMain.COMPLETED, submitted.status(), submitted.err());
        String id = submitted.out().strip();
        assertTrue(id.matches("job-[0-9a-f]+-\\d+"), "stdout is the job's id alone: " + submitted.out());
        // Its client has closed: a job tied to it would be cancelled now.
        JsonNode listed = row(onlyJsonObject(grid("jobs", "--seed", grid.seed(), "--json").out()), id);
        assertTrue(listed.path("client").asText().startsWith("detached ("), listed.toString());
        assertTrue(listed.path("acceptedAtMillis").asLong() > 0, listed.toString());

        Outcome watched = grid("watch", id, "--seed", grid.seed(), "--json");

        assertEquals(GridMain.COMPLETED, watched.status(), watched.err());
        JsonNode result = onlyJsonObject(watched.out());
        assertEquals("COMPLETED", result.path("status").asText(), result.toString());
        assertEquals(60, result.path("report").path("chunksDone").asLong());
        assertEquals("sleep", result.path("workload").asText());

        // A finished job: watch prints its result at once, status --job a summary, --full the whole report.
        Outcome again = grid("watch", id, "--seed", grid.seed(), "--no-progress");
        assertEquals(GridMain.COMPLETED, again.status(), again.err());
        assertTrue(again.out().startsWith("sleep  COMPLETED  " + id), again.out());
        String http = "127.0.0.1:" + grid.head().endpoints().httpPort();
        Outcome summary = grid("status", "--http", http, "--job", id);
        assertTrue(summary.out().contains(id + "  sleep  COMPLETED  60/60 chunks")
            && summary.out().contains("makespan"), summary.out());
        JsonNode full = onlyJsonObject(grid("status", "--http", http, "--job", id, "--full").out());
        assertEquals(60, full.path("report").path("chunkRows").size(), "--full has every chunk's row");
        assertTrue(summary.out().length() * 3 < full.toString().length(), "the summary is a summary");
    }

    @Test
    void cancelStopsARunningDetachedJobWhichEndsCancelled() throws Exception {
        String id = grid("submit", "--seed", grid.seed(), "--detach", "sleep", "--param", "millis=100",
            "--chunks", "2000").out().strip();
        grid.awaitStatus("the job running", s -> s.jobs().stream()
            .anyMatch(j -> j.job().equals(id) && j.state().equals("RUNNING") && j.chunksDone() > 0));

        Outcome cancelled = grid("cancel", id, "--seed", grid.seed());

        assertEquals(GridMain.COMPLETED, cancelled.status(), cancelled.err());
        assertTrue(cancelled.out().startsWith("cancelled " + id + " (sleep, "), cancelled.out());
        Outcome watched = grid("watch", id, "--seed", grid.seed(), "--json");
        assertEquals(GridMain.CANCELLED, watched.status(), "exit status 4 for a cancelled job: " + watched.err());
        JsonNode result = onlyJsonObject(watched.out());
        assertEquals("CANCELLED", result.path("status").asText());
        assertTrue(result.path("error").asText().contains("asked by grid cancel"), result.toString());
        long done = result.path("report").path("chunksDone").asLong();
        assertTrue(done > 0 && done < 2000, "cancelled mid-run: " + done);
        assertEquals("CANCELLED", row(onlyJsonObject(grid("jobs", "--seed", grid.seed(), "--json", "--all").out()), id)
            .path("state").asText());

        Outcome twice = grid("cancel", id, "--seed", grid.seed(), "--json");
        assertEquals(GridMain.FAILED, twice.status());
        JsonNode already = onlyJsonObject(twice.out());
        assertFalse(already.path("cancelled").asBoolean());
        assertEquals("CANCELLED", already.path("state").asText());
    }

    @Test
    void anUnknownJobIdIsBadInputForCancelAndWatch() {
        Outcome cancel = grid("cancel", "job-0-404", "--seed", grid.seed());
        assertEquals(GridMain.BAD_INPUT, cancel.status());
        assertTrue(cancel.err().startsWith("grid cancel: no job \"job-0-404\""), cancel.err());
        assertEquals("", cancel.out());

        Outcome watch = grid("watch", "job-0-404", "--seed", grid.seed(), "--json");
        assertEquals(GridMain.BAD_INPUT, watch.status());
        assertEquals("UNKNOWN", onlyJsonObject(watch.out()).path("status").asText());

        Outcome cancelJson = grid("cancel", "job-0-404", "--seed", grid.seed(), "--json");
        assertEquals(GridMain.BAD_INPUT, cancelJson.status());
        assertTrue(onlyJsonObject(cancelJson.out()).path("error").asText().contains("no job \"job-0-404\""));
    }

    @Test
    void withJsonARejectedJobIsStillOneJsonObjectOnStdout() {
        for (List<String> args : List.of(
                List.of("submit", "--seed", grid.seed(), "--json", "lebniz-pi"),
                List.of("submit", "--seed", grid.seed(), "--json", "--detach", "lebniz-pi"))) {
            Outcome o = grid(args.toArray(String[]::new));

            assertEquals(GridMain.BAD_INPUT, o.status(), o.err());
            JsonNode j = onlyJsonObject(o.out());
            assertEquals("REJECTED", j.path("status").asText(), j.toString());
            assertTrue(j.path("error").asText().startsWith("unknown workload \"lebniz-pi\""), j.toString());
        }
        Outcome badFlag = grid("submit", "--seed", grid.seed(), "--json", "noop", "--chunks", "0");
        assertEquals(GridMain.BAD_INPUT, badFlag.status());
        assertEquals(2, onlyJsonObject(badFlag.out()).path("exitStatus").asInt());
    }

    /** A {@code grid submit} in a JVM of its own, sent SIGTERM by its pid while its job runs. */
    @Test
    void sigtermOnGridSubmitCancelsItsJob() throws Exception {
        Path out = dir.resolve("submit.out");
        Path err = dir.resolve("submit.err");
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), GridMain.class.getName(),
            "submit", "--seed", grid.seed(), "sleep", "--param", "millis=100", "--chunks", "2000"));
        Process submit = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            ClusterStatus running = grid.awaitStatus("the child's job running", s -> s.jobs().stream()
                .anyMatch(j -> j.state().equals("RUNNING") && j.chunksDone() > 0 && j.client() != null
                    && !j.client().startsWith("detached") && j.chunksTotal() == 2000));
            String id = running.jobs().stream().filter(j -> j.state().equals("RUNNING") && j.chunksTotal() == 2000)
                .findFirst().orElseThrow().job();

            submit.destroy();  // SIGTERM

            assertTrue(submit.waitFor(60, TimeUnit.SECONDS), "grid submit exits after SIGTERM");
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(GridMain.CANCELLED, submit.exitValue(), stderr);
            assertTrue(stderr.contains("grid submit: cancelled " + id), stderr);
            assertTrue(Files.readString(out, StandardCharsets.UTF_8).startsWith("sleep  CANCELLED  " + id));
            grid.awaitStatus("the job listed CANCELLED", s -> s.jobs().stream()
                .anyMatch(j -> j.job().equals(id) && j.state().equals("CANCELLED") && j.chunksDone() < 2000));
        } finally {
            submit.destroyForcibly();
        }
    }

    private static Outcome grid(String... args) {
        return CliTest.grid(args);
    }

    private static JsonNode row(JsonNode jobs, String id) {
        for (JsonNode j : jobs.path("jobs")) if (j.path("job").asText().equals(id)) return j;
        return fail("job " + id + " not listed: " + jobs);
    }

    private static JsonNode onlyJsonObject(String out) {
        try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(out)) {
            List<JsonNode> all = values.readAll();
            assertEquals(1, all.size(), "exactly one JSON value on stdout: " + out);
            assertTrue(all.get(0).isObject(), out);
            return all.get(0);
        } catch (java.io.IOException e) {
            return fail("stdout is not JSON: " + out, e);
        }
    }
}
