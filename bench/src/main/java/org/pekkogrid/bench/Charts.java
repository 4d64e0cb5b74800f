package org.pekkogrid.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The look every plot shares, and PNG output that needs no display. */
public final class Charts {

    static final int WIDTH = 900;
    static final int HEIGHT = 540;
    static final int MAX_MARKED_POINTS = 40;

    static {
        // Servers and CI have no display; AWT must not look for one.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    public static XYChart lines(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
            .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(7);
        return chart;
    }

    public static CategoryChart bars(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
            .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(20);
        return chart;
    }

    /** A thin dashed line without markers: the min and max around a median, or an ideal. */
    public static XYSeries guide(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
        s.setLineColor(color);
        return s;
    }

    /** Adds "name (median)" with "name (min)" and "name (max)" as dashed guides of the same colour. */
    public static void medianWithSpread(XYChart chart, String name, double[] x, List<Spread> spreads, Color color) {
        double[] median = spreads.stream().mapToDouble(Spread::median).toArray();
        XYSeries s = chart.addSeries(name + " (median)", x, median);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
        if (spreads.stream().anyMatch(sp -> sp.count() > 1)) {
            Color faint = new Color(color.getRed(), color.getGreen(), color.getBlue(), 110);
            guide(chart, name + " (min)", x, spreads.stream().mapToDouble(Spread::min).toArray(), faint);
            guide(chart, name + " (max)", x, spreads.stream().mapToDouble(Spread::max).toArray(), faint);
        }
    }

    public static void save(IChart chart, Path file) throws IOException {
        if (chart instanceof XYChart xy) {
            // Markers on hundreds of points merge into a thick smear; keep them for sparse series only.
            for (XYSeries s : xy.getSeriesCollection()) {
                if (s.getXData().length > MAX_MARKED_POINTS) s.setMarker(SeriesMarkers.NONE);
            }
        }
        if (!file.toString().endsWith(".png")) throw new IllegalArgumentException("a chart is saved as .png, not " + file);
        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** Colours that stay apart in print and for colour-blind readers (Okabe–Ito). */
    public static final List<Color> PALETTE = List.of(new Color(0, 114, 178), new Color(213, 94, 0),
        new Color(0, 158, 115), new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233),
        new Color(240, 228, 66), Color.DARK_GRAY);

    public static Color color(int i) {
        return PALETTE.get(Math.floorMod(i, PALETTE.size()));
    }

    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.GRAY);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setLegendBorderColor(Color.WHITE);
        styler.setSeriesColors(PALETTE.toArray(Color[]::new));
        styler.setAntiAlias(true);
        styler.setChartTitleBoxVisible(false);
    }
}
