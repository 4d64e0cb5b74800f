package org.pekkogrid.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobReport;

/** report.md of one job: the figures a reader pastes into a paper, and the plots beside them. */
final class ReportMarkdown {

    private ReportMarkdown() {}

    static Markdown of(JobResult result, JobReport r, ReportPlots.Drawn plots, Machine machine) {
        Markdown md = new Markdown();
        md.heading(1, "Job " + r.jobId() + ": " + r.workload());
        List<List<String>> summary = new ArrayList<>();
        summary.add(List.of("status", result.status().name()));
        summary.add(result.completed() ? List.of("answer", result.summary() == null ? String.valueOf(result.result())
            : result.summary()) : List.of("error", String.valueOf(result.error())));
        summary.add(List.of("started", r.startedAt()));
        summary.add(List.of("chunks", Figures.count(r.chunksDone()) + " done of " + Figures.count(r.chunks())));
        summary.add(List.of("items", Figures.count(r.items())));
        summary.add(List.of("makespan (head accepts the job → last result)", Figures.millis(r.makespanMillis()) + " ms"));
        summary.add(List.of("throughput", Figures.amount(r.chunksPerSecond()) + " chunks/s, "
            + Figures.amount(r.itemsPerSecond()) + " items/s"));
        summary.add(List.of("round trip seen by the client", Figures.millis(result.roundTripNanos() / 1e6) + " ms"));
        summary.add(List.of("worker slots / cores", r.slots() + " / " + r.cores()));
        md.facts(summary);

        if (r.baselineMillis() != null) {
            md.heading(2, "Speedup");
            md.table(List.of("sequential baseline (one thread, same kernel)", "grid makespan", "speedup",
                    "efficiency (speedup per core)"),
                List.of(List.of(Figures.millis(r.baselineMillis()) + " ms", Figures.millis(r.makespanMillis()) + " ms",
                    Figures.ratio(r.speedup()), r.efficiency() == null ? "n/a"
                        : Figures.ratio(r.efficiency()) + " (" + r.cores() + " cores)")));
            if (r.ceilingMillis() != null) {
                md.table(List.of("ceiling (the same chunks on a plain ForkJoinPool of every core, the client's JVM)",
                        "ceiling speedup", "grid's share of the ceiling (ceiling time / makespan)"),
                    List.of(List.of(Figures.millis(r.ceilingMillis()) + " ms", Figures.ratio(r.ceilingSpeedup()),
                        Figures.ratio(r.ofCeiling()))));
            }
        }

        md.heading(2, "Chunk latency (ms)");
        md.table(List.of("", "p50", "p95", "p99", "max", "mean", "chunks"), List.of(
            percentileRow("response: the head dispatches a chunk's batch → the batch's results reach the head",
                r.latencyMillis()),
            percentileRow("run time of the chunk on its worker", r.runMillis())));

        md.heading(2, "Nodes");
        List<List<String>> nodes = new ArrayList<>();
        for (JobReport.NodeReport n : r.nodes()) {
            nodes.add(List.of(n.address(), String.valueOf(n.slots()), String.valueOf(n.cores()), Figures.count(n.chunks()),
                Figures.millis(n.busyMillis()), Figures.millis(n.aliveMillis()), Figures.percent(n.efficiency()),
                Figures.millis(n.meanResponseMillis())));
        }
        md.table(List.of("node", "slots", "cores", "chunks", "busy ms", "alive ms", "efficiency", "mean response ms"),
            nodes);
        md.paragraph("Efficiency is busy time / (slots × time alive during the job). Variance of the nodes' mean "
            + "response times: " + Figures.millis(r.nodeResponseVariance()) + " ms² over " + r.nodes().size()
            + (r.nodes().size() == 1 ? " node (0 by definition)." : " nodes."));

        md.heading(2, "Retries and failures");
        md.table(List.of("retries", "failed attempts (of attempts)", "timed out", "re-queued (node lost)",
                "duplicates dropped", "failed chunks", "failed items (of items)", "worker deaths", "speculative copies (won)"),
            List.of(List.of(Figures.count(r.retries()),
                Figures.count(r.failedAttempts()) + " (" + Figures.percent(r.failureRate()) + ")",
                Figures.count(r.timedOut()), Figures.count(r.requeued()), Figures.count(r.duplicates()),
                Figures.count(r.failedChunks()),
                Figures.count(r.failedItems()) + " (" + Figures.percent(itemFailureRate(r)) + ")",
                Figures.count(r.workerDeaths()),
                Figures.count(r.speculativeLaunches()) + " (" + Figures.count(r.speculativeWins()) + ")")));
        md.paragraph("An attempt is one run of a chunk: it fails when the chunk throws or its node dies. An item "
            + "(an image, say) fails inside a chunk that runs on, and counts against the job's items.");
        if (!r.failedItemSamples().isEmpty()) {
            md.bullets(r.failedItemSamples().stream()
                .map(f -> "`" + f.item() + "` (chunk " + f.chunk() + "): " + f.reason()).toList());
        }

        md.heading(2, "Plots");
        if (plots.has(ReportPlots.LATENCY)) {
            md.paragraph("Latency histogram, from the report's chunk rows: for each chunk, the time from the head "
                + "dispatching its batch to the chunk finishing on its worker (dispatch → finish), beside its run "
                + "time alone. The difference is time in flight and queued behind the batch's other chunks.");
            md.image("chunk latency histogram", ReportPlots.LATENCY);
        }
        if (plots.has(ReportPlots.BUSY)) md.image("busy time per node", ReportPlots.BUSY);
        if (plots.has(ReportPlots.CPU)) md.image("CPU per node over time", ReportPlots.CPU);
        if (plots.has(ReportPlots.MEMORY)) md.image("heap and RSS per node over time", ReportPlots.MEMORY);
        if (plots.has(ReportPlots.QUEUE)) md.image("queue length over time", ReportPlots.QUEUE);
        if (!plots.missing().isEmpty()) {
            List<String> why = new ArrayList<>();
            for (Map.Entry<String, String> e : plots.missing().entrySet()) why.add(e.getKey() + " not drawn: " + e.getValue());
            md.bullets(why);
        }

        md.heading(2, "Files");
        String rows = Figures.count(r.chunkRows().size()) + " rows";
        if (r.chunkRowsDropped() > 0) {
            rows += "; " + Figures.count(r.chunkRowsDropped()) + " more were beyond the head's cap "
                + "(grid.head.report.chunk-rows) and are not kept: stream them all with --timings FILE";
        }
        md.bullets(List.of(
            "`" + ReportFiles.JSON + "`: the whole report",
            "`" + ReportCsv.CHUNKS + "`: per-chunk timings, ms from the job's start on the head's clock (" + rows + ")",
            "`" + ReportCsv.NODES + "`: one row per node",
            "`" + ReportCsv.QUEUE + "`: the queue over time (" + r.queue().size() + " points)",
            "`" + ReportCsv.SAMPLES + "`: each node's CPU and memory over time (" + r.samples().size() + " samples)"));

        md.heading(2, "Machine");
        md.paragraph("Where this report was written (the client's machine; with `grid run` the grid ran here too).");
        md.append(machine.markdown());
        return md;
    }

    /** Failed items per item of the job; 0 when the job counts no items. */
    static double itemFailureRate(JobReport r) {
        return r.items() <= 0 ? 0 : (double) r.failedItems() / r.items();
    }

    private static List<String> percentileRow(String what, JobReport.Percentiles p) {
        return List.of(what, Figures.millis(p.p50()), Figures.millis(p.p95()), Figures.millis(p.p99()),
            Figures.millis(p.max()), Figures.millis(p.mean()), Figures.count(p.count()));
    }
}
