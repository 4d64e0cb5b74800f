package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pekkogrid.deploy.BenchCommandTest.csv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grid bench scale --quick --repeat 1} through the real launcher: a head JVM and a host JVM
 * of simulated worker nodes (one of 8 slots, then 32 slots in all), sleep jobs of 50 chunks per
 * slot. The figures are judged for sense, not speed: every chunk counted once, utilisation within
 * (0, 1], the slots that ran chunks no more than the slots there were.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ScaleBenchTest {

    @TempDir
    static Path out;

    static int status;

    @BeforeAll
    static void runScaleQuick() {
        status = GridMain.execute("bench", "scale", "--quick", "--repeat", "1", "--out", out.toString(), "--no-progress");
    }

    @Test
    void everySizeRanEveryChunkOnEverySlot() throws IOException {
        assertEquals(GridMain.COMPLETED, status);
        List<Map<String, String>> runs = csv(out.resolve("scale/runs.csv"));
        assertEquals(List.of("8", "32"), runs.stream().map(r -> r.get("slots")).toList());
        for (Map<String, String> r : runs) {
            long slots = Long.parseLong(r.get("slots"));
            assertEquals(slots * 50, Long.parseLong(r.get("chunks")), r.toString());
            assertEquals(slots * 50, Long.parseLong(r.get("chunks_done")), "every chunk counted once: " + r);
            double utilisation = Double.parseDouble(r.get("utilisation"));
            assertTrue(utilisation > 0 && utilisation <= 1, "utilisation within (0, 1]: " + r);
            assertTrue(Double.parseDouble(r.get("head_cpu_ms")) >= 0, r.toString());
            assertTrue(Double.parseDouble(r.get("chunks_per_s")) > 0, r.toString());
            long used = Long.parseLong(r.get("slots_used"));
            assertTrue(used >= 1 && used <= slots, "slots used within [1, slots]: " + r);
            assertTrue(Long.parseLong(r.get("slots_seen")) >= 1, "the report's rows name the slots: " + r);
            assertTrue(Double.parseDouble(r.get("first_dispatch_to_every_slot_ms")) >= 0, r.toString());
        }
    }

    @Test
    void theClusterGrewToEachSizeAndTheReportSaysHow() throws IOException {
        List<Map<String, String>> summary = csv(out.resolve("scale/summary.csv"));
        assertEquals(List.of("1", "3"), summary.stream().map(r -> r.get("nodes")).toList(),
            "a node of 8 slots, then one of 16 and one of 8");
        for (Map<String, String> s : summary) {
            assertTrue(Double.parseDouble(s.get("convergence_ms")) >= 0, s.toString());
            assertTrue(Double.parseDouble(s.get("slots_registered_ms")) >= 0, s.toString());
        }
        Path dir = out.resolve("scale");
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("## Machine") && md.contains("--quick") && md.contains("](scale.png)"), md);
        assertTrue(Files.size(dir.resolve("scale.png")) > 10_000, "scale.png looks empty");
    }
}
