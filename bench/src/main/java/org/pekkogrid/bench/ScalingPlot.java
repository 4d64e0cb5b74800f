package org.pekkogrid.bench;

import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;

/** The plots of a scaling experiment: speedup against size with the ideal line, and makespan. */
final class ScalingPlot {

    private ScalingPlot() {}

    static void speedup(List<ScalingPoint> points, double sequentialMillis, String sizeName, Path file) throws Exception {
        double[] x = points.stream().mapToDouble(ScalingPoint::size).toArray();
        ScalingPoint first = points.get(0);
        XYChart chart = Charts.lines("Speedup against " + sizeName, sizeName, "speedup");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.addSeries("over " + first.size() + " " + sizeName.replaceAll("s$", "") + " (median)", x,
            points.stream().mapToDouble(p -> p.speedupOver(first)).toArray());
        chart.addSeries("over the sequential baseline (median)", x,
            points.stream().mapToDouble(p -> p.speedupOverSequential(sequentialMillis)).toArray());
        Charts.guide(chart, "ideal (linear)", x, points.stream().mapToDouble(p -> (double) p.size() / first.size()).toArray(),
            java.awt.Color.GRAY);
        Charts.save(chart, file);
    }

    static void makespan(List<ScalingPoint> points, String sizeName, Path file) throws Exception {
        double[] x = points.stream().mapToDouble(ScalingPoint::size).toArray();
        XYChart chart = Charts.lines("Makespan against " + sizeName, sizeName, "makespan, ms");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("0");
        Charts.medianWithSpread(chart, "makespan", x, points.stream().map(ScalingPoint::makespan).toList(),
            Charts.color(0));
        Charts.save(chart, file);
    }
}
