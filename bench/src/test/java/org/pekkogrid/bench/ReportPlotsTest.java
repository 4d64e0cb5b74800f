package org.pekkogrid.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobReport.NodeSample;

class ReportPlotsTest {

    @Test
    void histogramBinsAreRoundNumbersAtOrAboveTheRawWidth() {
        assertEquals(5, ReportPlots.niceWidth(4.42));
        assertEquals(2.5, ReportPlots.niceWidth(2.1));
        assertEquals(0.02, ReportPlots.niceWidth(0.0137), 1e-12);
        assertEquals(100, ReportPlots.niceWidth(100));
        assertEquals(10, ReportPlots.niceWidth(5.5));
        assertEquals(1, ReportPlots.niceWidth(0));
    }

    /** Three chunks give ticks at 0.5, 1.5, ...: only whole chunks are labelled. */
    @Test
    void theLatencyHistogramCountsWholeChunks() {
        List<JobReport.ChunkRow> rows = List.of(
            new JobReport.ChunkRow(0, 0, "n", "slot-0", 0, 0, 1, 5, "ok"),
            new JobReport.ChunkRow(1, 0, "n", "slot-0", 0, 0, 1, 6, "ok"),
            new JobReport.ChunkRow(2, 0, "n", "slot-0", 0, 0, 2, 30, "ok"));
        XYChart chart = ReportPlots.latency(rows, 0);
        var label = chart.getStyler().getYAxisTickLabelsFormattingFunction();
        assertEquals("", label.apply(0.5));
        assertEquals("", label.apply(2.25));
        assertEquals("0", label.apply(0.0));
        assertEquals("3", label.apply(3.0));
        assertEquals("1,200", label.apply(1200.0));
        for (var series : chart.getSeriesCollection()) {
            for (double y : series.getYData()) assertEquals(Math.rint(y), y, "a count of chunks: " + y);
        }
    }

    @Test
    void theBusyBarsStackBusyAndIdleTime() {
        List<JobReport.NodeReport> nodes = List.of(new JobReport.NodeReport("10.0.0.1:2552", 2, 2, 20, 300, 11, 200, 0.75));
        CategoryChart chart = ReportPlots.busy(nodes);
        Map<String, CategorySeries> series = new java.util.LinkedHashMap<>();
        for (CategorySeries s : chart.getSeriesCollection()) series.put(s.getName(), s);
        assertEquals(List.of("busy (running chunks)", "idle (slots × alive − busy)"), new ArrayList<>(series.keySet()));
        assertEquals(300.0, series.get("busy (running chunks)").getYData()[0]);
        assertEquals(100.0, series.get("idle (slots × alive − busy)").getYData()[0],
            "2 slots × 200 ms alive − 300 ms busy");
        assertTrue(chart.getStyler().isStacked());
    }

    /** grid run: the head and the worker are actor systems of one JVM, and sample the same process. */
    @Test
    void nodesOfOneJvmAreDrawnAsOneLine() {
        List<NodeSample> samples = new ArrayList<>();
        for (int t = 0; t < 1000; t += 250) {
            samples.add(new NodeSample("127.0.0.1:2551 (head)", t, 0.5, 0.6, 100L << 20, 1L << 30, 300L << 20, "7@box"));
            samples.add(new NodeSample("127.0.0.1:2552", t + 3, 0.5, 0.6, 100L << 20, 1L << 30, 300L << 20, "7@box"));
            samples.add(new NodeSample("127.0.0.1:2553", t + 5, 0.9, 0.6, 200L << 20, 1L << 30, 400L << 20, "8@box"));
        }
        Map<String, List<NodeSample>> series = ReportPlots.byProcess(samples);
        assertEquals(List.of("127.0.0.1:2551 (head) + 127.0.0.1:2552 (one JVM)", "127.0.0.1:2553"),
            new ArrayList<>(series.keySet()));
        assertEquals(4, series.get("127.0.0.1:2553").size());

        XYChart memory = ReportPlots.memory(samples);
        assertEquals(4, memory.getSeriesCollection().size(), "heap and RSS of each of two JVMs");
        assertEquals(2, ReportPlots.cpu(samples).getSeriesCollection().size());

        List<NodeSample> unknown = List.of(
            new NodeSample("a:1", 0, 0.5, 0.6, 1, 2, -1, null), new NodeSample("b:1", 0, 0.5, 0.6, 1, 2, -1, null));
        assertEquals(2, ReportPlots.byProcess(unknown).size(), "samples that do not name their JVM stay apart");
    }
}
