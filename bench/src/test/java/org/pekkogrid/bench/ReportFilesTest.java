package org.pekkogrid.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.DoubleNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobReport.ChunkRow;
import org.pekkogrid.protocol.JobReport.NodeReport;
import org.pekkogrid.protocol.JobReport.NodeSample;
import org.pekkogrid.protocol.JobReport.Percentiles;
import org.pekkogrid.protocol.JobReport.QueuePoint;
import org.pekkogrid.protocol.RunnerCommand;

class ReportFilesTest {

    @TempDir
    Path dir;

    /** Two nodes, 40 chunks of 10 ms each (the second node slower), one failed item, a baseline. */
    static JobReport handMade() {
        List<ChunkRow> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String node = i % 2 == 0 ? "10.0.0.1:2552" : "10.0.0.2:2552";
            double dispatched = i * 5.0;
            double started = dispatched + (i % 2 == 0 ? 1 : 3);
            rows.add(new ChunkRow(i, 0, node, "slot-" + (i % 4), 0, dispatched, started, started + 10, "ok"));
        }
        rows.add(new ChunkRow(7, 1, "10.0.0.2:2552", "slot-3", 0, 30, 31, 32, "duplicate"));
        List<NodeReport> nodes = List.of(
            new NodeReport("10.0.0.1:2552", 2, 2, 20, 200, 11, 210, 200.0 / (2 * 210)),
            new NodeReport("10.0.0.2:2552", 2, 2, 20, 200, 13, 205, 200.0 / (2 * 205)));
        List<QueuePoint> queue = List.of(new QueuePoint(0, 40, 0, 0), new QueuePoint(100, 16, 8, 16),
            new QueuePoint(200, 0, 4, 36), new QueuePoint(215, 0, 0, 40));
        List<NodeSample> samples = new ArrayList<>();
        for (int t = 0; t <= 200; t += 50) {
            samples.add(new NodeSample("10.0.0.1:2552", t, 0.9, 0.95, (40 + t / 10) << 20, 512L << 20, 200L << 20, "101@host-a"));
            samples.add(new NodeSample("10.0.0.2:2552", t + 5, 0.8, 0.95, (30 + t / 20) << 20, 512L << 20, -1, "202@host-b"));
        }
        JobReport report = new JobReport("job-test-1", "leibniz-pi", "2026-11-23T10:00:00Z", 40, 40, 4_000_000, 4, 4,
            215, 40 / 0.215, 4_000_000 / 0.215, new Percentiles(12, 15, 15, 15, 12, 40),
            new Percentiles(10, 10, 10, 10, 10, 40), 1, 1, 0, 0, 1, 0, 1, 1.0 / 41,
            List.of(new RunnerCommand.ItemFailure(12, "img-00012-empty.jpg", "empty file")), nodes, 1.0, queue, samples,
            rows, 5, null, null, null, List.of(), 0, 0, 0, null, null, null);
        return report.withBaseline(645, 340.0);
    }

    static JobResult resultOf(JobReport report) {
        return new JobResult(report.jobId(), report.workload(), JobResult.Status.COMPLETED, DoubleNode.valueOf(3.14159),
            "pi ~ 3.14159", null, report, 230_000_000L);
    }

    @Test
    void reportJsonReadsBackAsTheSameReport() throws IOException {
        JobReport report = handMade();
        ReportFiles.write(resultOf(report), report, dir);

        assertEquals(report, ReportFiles.read(dir.resolve("report.json")));
    }

    @Test
    void csvFilesHoldOneRowPerChunkRowNodeQueuePointAndSample() throws IOException {
        JobReport report = handMade();
        ReportFiles.write(resultOf(report), report, dir);

        List<String> chunks = Files.readAllLines(dir.resolve("chunks.csv"));
        assertEquals("chunk,attempt,node,slot,queued_ms,dispatched_ms,started_ms,finished_ms,outcome", chunks.get(0));
        assertEquals(41, chunks.size() - 1);
        assertEquals("1,0,10.0.0.2:2552,slot-1,0.000,5.000,8.000,18.000,ok", chunks.get(2));
        assertEquals("7,1,10.0.0.2:2552,slot-3,0.000,30.000,31.000,32.000,duplicate", chunks.get(41));

        List<String> nodes = Files.readAllLines(dir.resolve("nodes.csv"));
        assertEquals("node,slots,cores,chunks,busy_ms,alive_ms,efficiency,mean_response_ms", nodes.get(0));
        assertEquals(List.of("10.0.0.1:2552,2,2,20,200.0000,210.0000,0.4762,11.0000",
            "10.0.0.2:2552,2,2,20,200.0000,205.0000,0.4878,13.0000"), nodes.subList(1, 3));

        assertEquals(1 + 4, Files.readAllLines(dir.resolve("queue.csv")).size());
        assertEquals("at_ms,waiting,in_flight,done", Files.readAllLines(dir.resolve("queue.csv")).get(0));
        List<String> samples = Files.readAllLines(dir.resolve("samples.csv"));
        assertEquals("node,at_ms,process_cpu,system_cpu,heap_used_bytes,heap_max_bytes,rss_bytes,process", samples.get(0));
        assertTrue(samples.get(1).endsWith(",101@host-a"), samples.get(1));
        assertEquals(1 + 10, samples.size());
    }

    @Test
    void everyPlotIsAPngWithSomethingDrawnOnIt() throws IOException {
        JobReport report = handMade();
        ReportFiles.write(resultOf(report), report, dir);

        for (String png : List.of("latency-histogram.png", "node-busy.png", "node-cpu.png", "node-memory.png",
                "queue.png")) {
            Path file = dir.resolve(png);
            assertTrue(Files.size(file) > 10_000, png + " is only " + Files.size(file) + " bytes");
            BufferedImage image = ImageIO.read(file.toFile());
            assertEquals(Charts.WIDTH, image.getWidth(), png);
            assertTrue(distinctColours(image) > 20, png + " is nearly blank");
        }
    }

    @Test
    void markdownStatesTheFiguresAReaderNeeds() throws IOException {
        JobReport report = handMade();
        ReportFiles.write(resultOf(report), report, dir);

        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| answer | pi ~ 3.14159 |"), md);
        assertTrue(md.contains("| makespan (head accepts the job → last result) | 215 ms |"), md);
        assertTrue(md.contains("| 645 ms | 215 ms | 3.00 | 0.75 (4 cores) |"), "speedup 645/215 = 3, per core 0.75:\n" + md);
        assertTrue(md.contains("| 340 ms | 1.90 | 1.58 |"), "ceiling speedup 645/340, its share 340/215:\n" + md);
        assertTrue(md.contains("| 10.0.0.1:2552 | 2 | 2 | 20 | 200 | 210 | 47.6 % | 11.0 |"), md);
        assertTrue(md.contains("Variance of the nodes' mean response times: 1.00 ms²"), md);
        assertTrue(md.contains("img-00012-empty.jpg"), md);
        assertTrue(md.contains("5 more were beyond the head's cap"), md);
        assertTrue(md.contains("![queue length over time](queue.png)"), md);
        assertTrue(md.contains("cores (available processors) | " + Runtime.getRuntime().availableProcessors()), md);
        assertFalse(md.contains("not drawn"), md);
    }

    /** Four broken images of eleven: no attempt failed, and the report must not read "failure rate 0.0 %" alone. */
    @Test
    void failedItemsAreCountedAgainstTheItemsNotTheAttempts() throws IOException {
        JobReport full = handMade();
        JobReport images = new JobReport(full.jobId(), "grayscale", full.startedAt(), 3, 3, 11, 2, 2, 200, 15, 55,
            full.latencyMillis(), full.runMillis(), 0, 0, 0, 0, 0, 0, 4, 0.0, full.failedItemSamples(), full.nodes(), 0,
            full.queue(), full.samples(), full.chunkRows(), 0, null, null, null, List.of(), 0, 0, 0, null, null, null);
        ReportFiles.write(resultOf(images), images, dir);

        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("failed attempts (of attempts)"), md);
        assertTrue(md.contains("| 0 (0.0 %) |"), md);
        assertTrue(md.contains("| 4 (36.4 %) |"), "4 of 11 items:\n" + md);
        assertFalse(md.contains("failure rate"), md);
    }

    @Test
    void aReportWithoutRowsOrSamplesSaysWhichPlotsAreMissing() throws IOException {
        JobReport full = handMade();
        JobReport bare = new JobReport(full.jobId(), full.workload(), full.startedAt(), 1, 1, 1, 1, 1, 2, 500, 500,
            Percentiles.EMPTY, Percentiles.EMPTY, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), full.nodes(), 0, List.of(),
            List.of(), List.of(), 0, null, null, null, List.of(), 0, 0, 0, null, null, null);

        List<Path> files = ReportFiles.write(resultOf(bare), bare, dir);

        assertTrue(files.contains(dir.resolve("node-busy.png")));
        assertFalse(Files.exists(dir.resolve("latency-histogram.png")));
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("latency-histogram.png not drawn: the report holds no chunk rows"), md);
        assertTrue(md.contains("queue.png not drawn"), md);
        assertEquals(1, Files.readAllLines(dir.resolve("chunks.csv")).size());
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) colours.add(image.getRGB(x, y));
        }
        return colours.size();
    }
}
