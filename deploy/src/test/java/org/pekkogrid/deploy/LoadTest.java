package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pekkogrid.deploy.BenchCommandTest.csv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * The load test at a size that fits CI: {@code grid bench load --quick} through the real launcher,
 * a head and two workers as JVMs of their own, three client JVMs submitting four mixed jobs each
 * at the same moment (noop of 10^4 chunks, leibniz-pi, flaky failing a tenth of its attempts),
 * then one client JVM with 200 one-chunk jobs in flight: beyond the head's 64 running jobs, so
 * most of them wait in its queue, and none may be rejected or lost. Each test reads the experiment's files
 * and checks them itself: the answers against the series' closed form and the chunk counts, not
 * only the bench's own verdict.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The head's live heap may grow by its bounded caches (the last 100 jobs, the last 10 reports), not by the load. */
    private static final long HEAP_GROWTH_ALLOWED_BYTES = 16L << 20;

    @TempDir
    static Path out;

    static int status;

    @BeforeAll
    static void runLoadQuick() {
        status = GridMain.execute("bench", "load", "--quick", "--out", out.toString(), "--no-progress");
    }

    @Test
    void everyJobCompletedWithItsExactAnswer() throws IOException {
        List<Map<String, String>> runs = csv(out.resolve("load/runs.csv"));
        assertEquals(3 * 4 + 200, runs.size());
        for (Map<String, String> r : runs) {
            assertEquals("COMPLETED", r.get("status"), r.toString());
            assertEquals("EXACT", r.get("outcome"), r.toString());
            long chunks = Long.parseLong(r.get("chunks"));
            String answer = r.get("answer");
            switch (r.get("workload")) {
                case "noop" -> assertEquals(chunks, Long.parseLong(answer), r.toString());
                case "leibniz-pi" -> {
                    double expected = LeibnizPi.expected(Long.parseLong(r.get("params").replace("terms=", "")));
                    assertEquals(expected, Double.parseDouble(answer), Math.abs(expected) * 1e-12, r.toString());
                }
                case "flaky" -> {
                    JsonNode tally = JSON.readTree(answer);
                    assertEquals(chunks, tally.get("chunks").asLong(), r.toString());
                    assertEquals(chunks * (chunks - 1) / 2, tally.get("indexSum").asLong(), r.toString());
                    assertTrue(tally.get("exact").asBoolean(), r.toString());
                    assertTrue(Long.parseLong(r.get("retries")) > 0, "flaky's failed attempts were retried: " + r);
                }
                default -> throw new AssertionError("a workload the load test does not run: " + r);
            }
        }
        assertEquals(Set.of("noop", "leibniz-pi", "flaky"),
            runs.stream().map(r -> r.get("workload")).collect(Collectors.toSet()));
        assertEquals(GridMain.COMPLETED, status, "grid bench load found nothing wrong");
    }

    @Test
    void everyChunkWasCountedExactlyOnce() throws IOException {
        for (Map<String, String> r : csv(out.resolve("load/runs.csv"))) {
            assertEquals(r.get("chunks"), r.get("chunks_done"), "each chunk done once: " + r);
        }
        for (Map<String, String> s : csv(out.resolve("load/summary.csv"))) {
            assertEquals(s.get("chunks"), s.get("chunks_done"), s.toString());
        }
    }

    @Test
    void nothingWasLostWrongFailedOrRejected() throws IOException {
        List<Map<String, String>> summary = csv(out.resolve("load/summary.csv"));
        assertEquals(List.of("mixed", "one-chunk"), summary.stream().map(s -> s.get("phase")).toList());
        assertEquals(List.of("12", "200"), summary.stream().map(s -> s.get("jobs")).toList());
        for (Map<String, String> s : summary) {
            assertEquals(s.get("jobs"), s.get("exact"), s.toString());
            for (String none : List.of("wrong", "failed", "rejected", "lost")) assertEquals("0", s.get(none), none + ": " + s);
            double p50 = Double.parseDouble(s.get("p50_ms"));
            assertTrue(p50 > 0 && p50 <= Double.parseDouble(s.get("p99_ms")) && Double.parseDouble(s.get("jobs_per_s")) > 0,
                s.toString());
        }
    }

    @Test
    void theHeadsLiveHeapIsFlatAfterTheLoad() throws IOException {
        Map<String, Long> heap = csv(out.resolve("load/heap.csv")).stream().collect(Collectors.toMap(
            h -> h.get("moment"), h -> {
                assertTrue(!h.get("head_live_heap_bytes").isEmpty(), "the head's heap was read: " + h);
                return Long.parseLong(h.get("head_live_heap_bytes"));
            }));
        long before = heap.get("before");
        long after = heap.get("after the one-chunk phase");
        assertTrue(before > 1 << 20, "a head holds more than a MiB: " + heap);
        assertTrue(after <= before + HEAP_GROWTH_ALLOWED_BYTES, "live heap " + before + " bytes before, " + after
            + " after: " + heap);
    }

    @Test
    void theReportGivesTheFiguresAndItsPlots() throws IOException {
        Path dir = out.resolve("load");
        String md = Files.readString(dir.resolve("report.md"));
        for (String figure : List.of("jobs/s", "p50", "p99", "lost", "live heap", "## Machine", "--quick")) {
            assertTrue(md.contains(figure), "report.md gives " + figure);
        }
        for (String png : List.of("latency.png", "completions.png")) {
            assertTrue(Files.size(dir.resolve(png)) > 10_000, png + " looks empty");
            assertTrue(md.contains("](" + png + ")"), "report.md links " + png);
        }
    }
}
