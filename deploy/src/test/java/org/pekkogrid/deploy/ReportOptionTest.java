package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.bench.ReportFiles;
import org.pekkogrid.protocol.JobReport;

class ReportOptionTest {

    @TempDir
    Path dir;

    @Test
    void runWithReportWritesTheReportFilesOfThatJob() throws IOException {
        Path report = dir.resolve("report");

        int status = GridMain.execute("run", "leibniz-pi", "--param", "terms=10000000", "--chunks", "16", "--baseline",
            "--no-progress", "--report", report.toString());

        assertEquals(GridMain.COMPLETED, status);
        JobReport read = ReportFiles.read(report.resolve("report.json"));
        assertEquals("leibniz-pi", read.workload());
        assertEquals(16, read.chunksDone());
        assertTrue(read.speedup() != null && read.speedup() > 0, "the baseline's speedup is in the report");
        List<String> chunks = Files.readAllLines(report.resolve("chunks.csv"));
        assertEquals(1 + 16, chunks.size());
        assertEquals(1 + read.nodes().size(), Files.readAllLines(report.resolve("nodes.csv")).size());
        assertTrue(Files.size(report.resolve("latency-histogram.png")) > 10_000);
        assertTrue(Files.size(report.resolve("node-busy.png")) > 10_000);
        String md = Files.readString(report.resolve("report.md"));
        assertTrue(md.contains("# Job " + read.jobId() + ": leibniz-pi"), md);
        assertTrue(md.contains("## Speedup"), md);
    }

    @Test
    void aReportPathThatIsAFileIsRefusedBeforeAnythingRuns() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

        int status = GridMain.execute("run", "noop", "--no-progress", "--report", file.toString());

        assertEquals(GridMain.BAD_INPUT, status);
        assertFalse(Files.exists(dir.resolve("report.json")));
    }
}
