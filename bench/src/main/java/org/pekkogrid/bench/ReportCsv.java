package org.pekkogrid.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pekkogrid.protocol.JobReport;

/** The tables of a job report as CSV: chunk rows, nodes, the queue over time, the nodes' samples. */
final class ReportCsv {

    static final String CHUNKS = "chunks.csv";
    static final String NODES = "nodes.csv";
    static final String QUEUE = "queue.csv";
    static final String SAMPLES = "samples.csv";

    private ReportCsv() {}

    static List<Path> write(JobReport report, Path dir) throws IOException {
        Path chunks = dir.resolve(CHUNKS);
        try (BufferedWriter out = Files.newBufferedWriter(chunks, StandardCharsets.UTF_8)) {
            out.write(ChunkRowsCsv.HEADER);
            out.newLine();
            for (JobReport.ChunkRow r : report.chunkRows()) {
                out.write(ChunkRowsCsv.line(r));
                out.newLine();
            }
        }
        Path nodes = dir.resolve(NODES);
        try (CsvFile csv = CsvFile.create(nodes, "node", "slots", "cores", "chunks", "busy_ms", "alive_ms",
                "efficiency", "mean_response_ms")) {
            for (JobReport.NodeReport n : report.nodes()) {
                csv.row(n.address(), n.slots(), n.cores(), n.chunks(), n.busyMillis(), n.aliveMillis(), n.efficiency(),
                    n.meanResponseMillis());
            }
        }
        Path queue = dir.resolve(QUEUE);
        try (CsvFile csv = CsvFile.create(queue, "at_ms", "waiting", "in_flight", "done")) {
            for (JobReport.QueuePoint q : report.queue()) csv.row(q.atMillis(), q.waiting(), q.inFlight(), q.done());
        }
        Path samples = dir.resolve(SAMPLES);
        try (CsvFile csv = CsvFile.create(samples, "node", "at_ms", "process_cpu", "system_cpu", "heap_used_bytes",
                "heap_max_bytes", "rss_bytes", "process")) {
            for (JobReport.NodeSample s : report.samples()) {
                csv.row(s.node(), s.atMillis(), s.processCpu(), s.systemCpu(), s.heapUsedBytes(), s.heapMaxBytes(),
                    s.rssBytes(), s.process() == null ? "" : s.process());
            }
        }
        return List.of(chunks, nodes, queue, samples);
    }
}
