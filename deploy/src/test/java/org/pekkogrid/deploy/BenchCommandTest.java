package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.bench.ReportFiles;

/**
 * {@code grid bench all --quick --skip load}, run once through the real launcher; each test then reads one
 * experiment's files. The figures are not judged for speed (that is the benchmark's business),
 * only for sense: positive times, median speedups within (0, 2 x cores], the chunk counts asked for.
 */
class BenchCommandTest {

    @TempDir
    static Path out;

    static int status;
    static final int CORES = Runtime.getRuntime().availableProcessors();

    @BeforeAll
    static void runAllQuick() {
        // The module's tests skip the OpenCV probe (deploy/pom.xml); the grayscale runs need the
        // worker to find it, as it does outside the tests.
        String probe = System.setProperty("grid.worker.probe-tags", "on");
        ConfigFactory.invalidateCaches();
        try {
            // load has a test of its own (LoadTest): a dozen JVMs, not started twice in one build.
            status = GridMain.execute("bench", "all", "--quick", "--skip", "load", "--out", out.toString(),
                "--no-progress");
        } finally {
            if (probe == null) System.clearProperty("grid.worker.probe-tags");
            else System.setProperty("grid.worker.probe-tags", probe);
            ConfigFactory.invalidateCaches();
        }
    }

    @Test
    void everyExperimentWritesAReportWithTheMachineAndItsPlots() throws IOException {
        assertEquals(GridMain.COMPLETED, status);
        Map<String, List<String>> plots = Map.of(
            "baseline", List.of("speedup.png", "times.png", "of-ceiling.png"),
            "chunks", List.of("makespan.png", "throughput.png"),
            "workers", List.of("speedup.png", "makespan.png"),
            "images", List.of("throughput.png", "job-report/node-busy.png"),
            "latency", List.of("percentiles.png", "round-trip-percentiles.png"),
            "cluster", List.of("speedup.png", "makespan.png"));
        for (Map.Entry<String, List<String>> e : plots.entrySet()) {
            Path dir = out.resolve(e.getKey());
            String md = Files.readString(dir.resolve("report.md"));
            assertTrue(md.contains("## Machine") && md.contains("cores (available processors) | " + CORES), e.getKey());
            assertTrue(md.contains("--quick"), e.getKey() + " says its sizes were small");
            for (String png : e.getValue()) {
                assertTrue(Files.size(dir.resolve(png)) > 10_000, e.getKey() + "/" + png + " looks empty");
                assertTrue(md.contains("](" + png + ")") || png.startsWith("job-report"), e.getKey() + " links " + png);
            }
        }
        String overview = Files.readString(out.resolve("report.md"));
        for (String name : plots.keySet()) assertTrue(overview.contains("(" + name + "/report.md)"), name);
        assertFalse(Files.exists(out.resolve("load")) || overview.contains("(load/report.md)"), "--skip load left it out");
    }

    @Test
    void baselineRanEveryWorkloadWithSaneSpeedups() throws IOException {
        List<Map<String, String>> runs = csv(out.resolve("baseline/runs.csv"));
        assertEquals(8 * 3, runs.size());
        assertEquals(Set.of("leibniz-pi", "monte-carlo-pi", "prime-count", "prime-search", "factor", "matmul", "stats",
            "grayscale"), runs.stream().map(r -> r.get("workload")).collect(Collectors.toSet()));
        for (Map<String, String> r : runs) {
            double sequential = number(r, "sequential_ms");
            double grid = number(r, "grid_ms");
            assertTrue(sequential > 0 && grid > 0 && grid <= number(r, "round_trip_ms"), r.toString());
            assertEquals(sequential / grid, number(r, "speedup"), 1e-4 + 1e-3 * sequential / grid, r.toString());
            double ceiling = number(r, "ceiling_ms");
            assertTrue(ceiling > 0, r.toString());
            assertEquals(ceiling / grid, number(r, "of_ceiling"), 1e-4 + 1e-3 * ceiling / grid, r.toString());
            assertEquals(sequential / ceiling, number(r, "ceiling_speedup"), 1e-4 + 1e-3 * sequential / ceiling,
                r.toString());
            assertEquals(CORES, (int) number(r, "cores"), r.toString());
        }
        // A single run at these sizes can be off by a JIT compile or a GC; the medians are what the report gives.
        List<Map<String, String>> summary = csv(out.resolve("baseline/summary.csv"));
        assertEquals(8, summary.size());
        for (Map<String, String> s : summary) {
            assertEquals(3, (int) number(s, "runs"), s.toString());
            assertSaneSpeedup(number(s, "speedup_median"), s.toString());
            assertTrue(number(s, "speedup_min") <= number(s, "speedup_median")
                && number(s, "speedup_median") <= number(s, "speedup_max"), s.toString());
        }
    }

    @Test
    void chunksRanEachCountAskedForAndFoundOrDeniedAKnee() throws IOException {
        List<Map<String, String>> runs = csv(out.resolve("chunks/runs.csv"));
        Map<Long, Integer> runsPerCount = new TreeMap<>();
        for (Map<String, String> r : runs) {
            long chunks = (long) number(r, "chunks");
            assertEquals(chunks, (long) number(r, "chunks_done"), "every chunk done: " + r);
            assertTrue(number(r, "makespan_ms") > 0 && number(r, "chunks_per_s") > 0, r.toString());
            runsPerCount.merge(chunks, 1, Integer::sum);
        }
        assertEquals(Map.of(1L, 3, 16L, 3, 256L, 3, 4096L, 3), runsPerCount);
        String md = Files.readString(out.resolve("chunks/report.md"));
        assertTrue(md.contains("The knee: beyond") || md.contains("No knee within the counts measured"), md);
    }

    @Test
    void workersAndClusterScaleWithinSaneBounds() throws IOException {
        List<Map<String, String>> workers = csv(out.resolve("workers/summary.csv"));
        assertEquals(CORES, workers.size());
        for (int i = 0; i < workers.size(); i++) {
            assertEquals(i + 1, (int) number(workers.get(i), "slots"));
            assertSaneSpeedup(number(workers.get(i), "speedup"), workers.get(i).toString());
        }
        assertEquals(3 + 3 * CORES, csv(out.resolve("workers/runs.csv")).size());

        List<Map<String, String>> cluster = csv(out.resolve("cluster/summary.csv"));
        assertEquals(2, cluster.size());
        for (int i = 0; i < cluster.size(); i++) {
            assertEquals(i + 1, (int) number(cluster.get(i), "worker_jvms"));
            assertSaneSpeedup(number(cluster.get(i), "speedup"), cluster.get(i).toString());
            assertTrue(number(cluster.get(i), "makespan_ms_median") > 0);
        }
        List<Map<String, String>> clusterRuns = csv(out.resolve("cluster/runs.csv"));
        assertEquals(3 + 2 * 3, clusterRuns.size());
        for (Map<String, String> r : clusterRuns) {
            if (r.get("kind").equals("grid")) {
                assertEquals(number(r, "worker_jvms"), number(r, "slots"), "one slot per worker JVM: " + r);
                assertTrue(number(r, "slots_used") >= 1 && number(r, "slots_used") <= number(r, "slots"), r.toString());
            }
        }
    }

    @Test
    void imagesCountedEveryBrokenFileAsFailedAndLostNothing() throws IOException {
        List<Map<String, String>> runs = csv(out.resolve("images/runs.csv"));
        assertEquals(3 * 3, runs.size());
        for (Map<String, String> r : runs) {
            assertTrue(number(r, "images_per_s") > 0, r.toString());
            if (r.get("mode").equals("sequential")) continue;
            assertEquals("ok", r.get("check"), r.toString());
            assertEquals(16, (long) number(r, "images"));
            assertEquals(4, (long) number(r, "failed"));
            assertEquals(0, (long) number(r, "lost"));
            assertEquals(number(r, "ok"), number(r, "outputs_on_disk"));
        }
        assertEquals(4, ReportFiles.read(out.resolve("images/job-report/report.json")).failedItems());
    }

    @Test
    void latencyPercentilesAreOrderedAndEveryJobWasTimed() throws IOException {
        assertEquals(2 * 3 * 100, csv(out.resolve("latency/runs.csv")).size());
        List<Map<String, String>> summary = csv(out.resolve("latency/summary.csv"));
        assertEquals(List.of("1", "4"), summary.stream().map(r -> r.get("in_flight")).toList());
        for (Map<String, String> r : summary) {
            double p50 = number(r, "p50_ms");
            assertTrue(p50 > 0 && p50 <= number(r, "p95_ms") && number(r, "p95_ms") <= number(r, "p99_ms")
                && number(r, "p99_ms") <= number(r, "max_ms") * 1.001, r.toString());
        }
    }

    private static void assertSaneSpeedup(double speedup, String row) {
        assertTrue(speedup > 0 && speedup <= 2 * CORES, "speedup " + speedup + " outside (0, " + 2 * CORES + "]: " + row);
    }

    private static double number(Map<String, String> row, String column) {
        String value = row.get(column);
        if (value == null) throw new AssertionError("no column " + column + " in " + row);
        return Double.parseDouble(value);
    }

    /** Rows as column → value; handles the quoting CsvFile writes. */
    static List<Map<String, String>> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> header = cells(lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = cells(line);
            assertEquals(header.size(), cells.size(), file + ": " + line);
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) row.put(header.get(i), cells.get(i));
            rows.add(row);
        }
        return rows;
    }

    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
