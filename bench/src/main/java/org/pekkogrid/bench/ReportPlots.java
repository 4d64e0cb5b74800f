package org.pekkogrid.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.pekkogrid.protocol.JobReport;

/**
 * The plots of one job report. A plot whose data the report lacks (no chunk rows, no samples)
 * is not drawn, and the reason is kept for report.md.
 */
final class ReportPlots {

    static final String LATENCY = "latency-histogram.png";
    static final String BUSY = "node-busy.png";
    static final String CPU = "node-cpu.png";
    static final String MEMORY = "node-memory.png";
    static final String QUEUE = "queue.png";

    /** Most bins of the latency histogram. */
    static final int BINS = 40;

    /** What was drawn: the files, and for each plot left out, why. */
    record Drawn(List<Path> files, Map<String, String> missing) {
        boolean has(String file) {
            return files.stream().anyMatch(p -> p.getFileName().toString().equals(file));
        }
    }

    private ReportPlots() {}

    static Drawn draw(JobReport report, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        Map<String, String> missing = new LinkedHashMap<>();
        List<JobReport.ChunkRow> ok = report.chunkRows().stream().filter(r -> r.outcome().equals("ok")).toList();
        if (ok.isEmpty()) missing.put(LATENCY, "the report holds no chunk rows");
        else files.add(save(latency(ok, report.chunkRowsDropped()), dir.resolve(LATENCY)));
        if (report.nodes().isEmpty()) missing.put(BUSY, "no node ran a chunk");
        else files.add(save(busy(report.nodes()), dir.resolve(BUSY)));
        if (report.samples().isEmpty()) {
            missing.put(CPU, "no node samples arrived (the job was shorter than one sample interval)");
            missing.put(MEMORY, "no node samples arrived");
        } else {
            files.add(save(cpu(report.samples()), dir.resolve(CPU)));
            files.add(save(memory(report.samples()), dir.resolve(MEMORY)));
        }
        if (report.queue().isEmpty()) missing.put(QUEUE, "no queue points (the job was shorter than one progress interval)");
        else files.add(save(queue(report.queue()), dir.resolve(QUEUE)));
        return new Drawn(List.copyOf(files), missing);
    }

    /**
     * Per chunk, from its batch's dispatch by the head to the chunk's finish on the worker (on the
     * head's clock), next to its run time alone: the gap is time spent in flight and queued behind
     * the other chunks of its batch.
     */
    static XYChart latency(List<JobReport.ChunkRow> rows, long dropped) {
        double[] response = rows.stream().mapToDouble(r -> Math.max(0, r.finishedMillis() - r.dispatchedMillis())).toArray();
        double[] run = rows.stream().mapToDouble(r -> Math.max(0, r.finishedMillis() - r.startedMillis())).toArray();
        double max = 0;
        for (double v : response) max = Math.max(max, v);
        for (double v : run) max = Math.max(max, v);
        double width = niceWidth(max / BINS);
        int bins = Math.max(1, (int) Math.ceil(max / width));
        String rowsNote = dropped > 0 ? " (first " + rows.size() + " chunks)" : " (" + rows.size() + " chunks)";
        XYChart chart = Charts.lines("Chunk latency" + rowsNote, "ms", "chunks");
        chart.getStyler().setXAxisDecimalPattern("#,##0.##");
        // Counts are whole chunks: XChart's ticks may fall at 0.5, which get no label.
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisTickLabelsFormattingFunction(ReportPlots::wholeCount);
        addHistogram(chart, "dispatch → finish on worker", response, width, bins);
        addHistogram(chart, "run on worker", run, width, bins);
        return chart;
    }

    /** A tick label of a count axis: whole numbers only, the others left blank. */
    static String wholeCount(Double value) {
        return value != null && value == Math.rint(value) ? String.format(java.util.Locale.ROOT, "%,d", value.longValue()) : "";
    }

    /** The bin width at or above {@code raw} that reads well: 1, 2, 2.5 or 5 times a power of ten. */
    static double niceWidth(double raw) {
        if (!(raw > 0)) return 1;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double step : new double[] {1, 2, 2.5, 5}) if (step * power >= raw) return step * power;
        return 10 * power;
    }

    private static void addHistogram(XYChart chart, String name, double[] values, double width, int bins) {
        double[] counts = new double[bins];
        for (double v : values) counts[Math.min(bins - 1, (int) (v / width))]++;
        // Drawn as an outline: up the left edge, along each bin, down the right edge. (The edge
        // points also keep XChart from using the evenly spaced bin edges as its tick labels.)
        double[] x = new double[bins + 3];
        double[] y = new double[bins + 3];
        for (int b = 0; b < bins; b++) {
            x[b + 1] = b * width;
            y[b + 1] = counts[b];
        }
        x[bins + 1] = bins * width;
        y[bins + 1] = counts[bins - 1];
        x[bins + 2] = bins * width;
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        s.setMarker(SeriesMarkers.NONE);
    }

    /**
     * Each node's busy time, with its idle time stacked on top: the whole bar is what its slots
     * could have given while it was part of the job (slots × time alive).
     */
    static CategoryChart busy(List<JobReport.NodeReport> nodes) {
        CategoryChart chart = Charts.bars("Node busy time (efficiency = busy / (busy + idle))", "node", "slot-ms");
        chart.getStyler().setStacked(true);
        List<String> names = nodes.stream().map(JobReport.NodeReport::address).toList();
        chart.addSeries("busy (running chunks)", names, nodes.stream().map(JobReport.NodeReport::busyMillis).toList())
            .setFillColor(Charts.color(0));
        chart.addSeries("idle (slots × alive − busy)", names, nodes.stream().map(ReportPlots::idleMillis).toList())
            .setFillColor(new java.awt.Color(200, 200, 200));
        return chart;
    }

    /** Slot time the node had and did not run chunks in: never below 0 (busy time can outrun a clock that started late). */
    static double idleMillis(JobReport.NodeReport n) {
        return Math.max(0, n.slots() * n.aliveMillis() - n.busyMillis());
    }

    static XYChart cpu(List<JobReport.NodeSample> samples) {
        XYChart chart = Charts.lines("CPU of each node's JVM", "ms since the job started", "% of the node's cores");
        chart.getStyler().setYAxisMin(0.0);
        int i = 0;
        for (Map.Entry<String, List<JobReport.NodeSample>> e : byProcess(samples).entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), e.getValue().stream().mapToDouble(JobReport.NodeSample::atMillis).toArray(),
                e.getValue().stream().mapToDouble(p -> 100 * p.processCpu()).toArray());
            s.setLineColor(Charts.color(i));
            s.setMarkerColor(Charts.color(i++));
        }
        return chart;
    }

    /** Heap in use (solid) and resident memory (dashed, where the OS reports it) per node. */
    static XYChart memory(List<JobReport.NodeSample> samples) {
        XYChart chart = Charts.lines("Memory of each node's JVM", "ms since the job started", "MiB");
        chart.getStyler().setYAxisMin(0.0);
        int i = 0;
        for (Map.Entry<String, List<JobReport.NodeSample>> e : byProcess(samples).entrySet()) {
            double[] at = e.getValue().stream().mapToDouble(JobReport.NodeSample::atMillis).toArray();
            XYSeries heap = chart.addSeries(e.getKey() + " heap used", at,
                e.getValue().stream().mapToDouble(p -> p.heapUsedBytes() / 1048576.0).toArray());
            heap.setLineColor(Charts.color(i));
            heap.setMarkerColor(Charts.color(i));
            if (e.getValue().stream().allMatch(p -> p.rssBytes() >= 0)) {
                Charts.guide(chart, e.getKey() + " RSS", at,
                    e.getValue().stream().mapToDouble(p -> p.rssBytes() / 1048576.0).toArray(), Charts.color(i));
            }
            i++;
        }
        return chart;
    }

    static XYChart queue(List<JobReport.QueuePoint> points) {
        XYChart chart = Charts.lines("The job's queue", "ms since the job started", "chunks");
        chart.getStyler().setYAxisMin(0.0);
        double[] at = points.stream().mapToDouble(JobReport.QueuePoint::atMillis).toArray();
        chart.addSeries("waiting", at, points.stream().mapToDouble(JobReport.QueuePoint::waiting).toArray());
        chart.addSeries("in flight", at, points.stream().mapToDouble(JobReport.QueuePoint::inFlight).toArray());
        chart.addSeries("done", at, points.stream().mapToDouble(JobReport.QueuePoint::done).toArray());
        return chart;
    }

    /**
     * One series per JVM: nodes that share a process (an embedded grid's head and worker) read
     * the same CPU and memory, so they are drawn once, named after all of them, from the samples
     * of the one that sent the most. Samples that do not say their process count as a JVM each.
     */
    static Map<String, List<JobReport.NodeSample>> byProcess(List<JobReport.NodeSample> samples) {
        Map<String, List<JobReport.NodeSample>> byNode = new LinkedHashMap<>();
        for (JobReport.NodeSample s : samples) byNode.computeIfAbsent(s.node(), n -> new ArrayList<>()).add(s);
        Map<String, List<String>> nodesOfProcess = new LinkedHashMap<>();
        for (Map.Entry<String, List<JobReport.NodeSample>> e : byNode.entrySet()) {
            String process = e.getValue().get(0).process();
            nodesOfProcess.computeIfAbsent(process == null ? "node " + e.getKey() : process, p -> new ArrayList<>())
                .add(e.getKey());
        }
        Map<String, List<JobReport.NodeSample>> series = new LinkedHashMap<>();
        for (List<String> nodes : nodesOfProcess.values()) {
            String fullest = nodes.stream().max(java.util.Comparator.comparingInt(n -> byNode.get(n).size())).orElseThrow();
            String name = nodes.size() == 1 ? nodes.get(0) : String.join(" + ", nodes) + " (one JVM)";
            series.put(name, byNode.get(fullest));
        }
        return series;
    }

    private static Path save(org.knowm.xchart.internal.chartpart.IChart chart, Path file) throws IOException {
        Charts.save(chart, file);
        return file;
    }
}
