package dev.descent.analysis.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line or scatter plot of named series, built fluently and rendered with XChart:
 * {@code new LinePlot("title", "x", "y").logY().line("Post-LN", x, y).savePng(file)}.
 */
public final class LinePlot {
    private record Series(String name, double[] x, double[] y, double[] error, boolean markersOnly, double[] lower,
                          double[] upper) {
    }

    private static final Color[] COLOURS = new org.knowm.xchart.style.theme.XChartTheme().getSeriesColors();

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logX;
    private boolean logY;

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Puts the x axis on a log scale. */
    public LinePlot logX() {
        logX = true;
        return this;
    }

    /** Puts the y axis on a log scale (every y value must then be positive). */
    public LinePlot logY() {
        logY = true;
        return this;
    }

    /** Adds a series drawn as a line with markers. */
    public LinePlot line(String name, double[] x, double[] y) {
        return add(new Series(name, x, y, null, false, null, null));
    }

    /** Adds a series drawn as a line with error bars of half-height {@code error}. */
    public LinePlot lineWithErrors(String name, double[] x, double[] y, double[] error) {
        if (error.length != y.length) {
            throw new IllegalArgumentException("LinePlot.lineWithErrors(" + name + "): " + error.length
                    + " errors for " + y.length + " points");
        }
        return add(new Series(name, x, y, error, false, null, null));
    }

    /** Adds a series drawn as markers only. */
    public LinePlot scatter(String name, double[] x, double[] y) {
        return add(new Series(name, x, y, null, true, null, null));
    }

    /**
     * Adds a series drawn as a line, with a band between {@code lower} and {@code upper} drawn as thin dashed
     * lines of the same colour (for a mean and its spread over seeds).
     */
    public LinePlot band(String name, double[] x, double[] y, double[] lower, double[] upper) {
        if (lower.length != y.length || upper.length != y.length) {
            throw new IllegalArgumentException("LinePlot.band(" + name + "): bounds of " + lower.length + " and "
                    + upper.length + " points for " + y.length + " points");
        }
        return add(new Series(name, x, y, null, false, lower, upper));
    }

    private LinePlot add(Series s) {
        if (s.x.length != s.y.length) {
            throw new IllegalArgumentException("LinePlot(" + title + "): series " + s.name + " has " + s.x.length
                    + " x values and " + s.y.length + " y values");
        }
        series.add(s);
        return this;
    }

    /** A tick label: at most four significant digits, no trailing zeros, scientific beyond 1e±5. */
    static String tick(Double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        String s = a >= 1e5 || a < 1e-4 ? String.format(java.util.Locale.ROOT, "%.3g", v)
                : new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        return s;
    }

    /** Renders the plot, 800 by 500 pixels, to a PNG file at {@code file}. */
    public void savePng(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX).setYAxisLogarithmic(logY).setLegendVisible(series.size() > 1 || series.stream().anyMatch(s -> s.lower != null));
        // XChart prints every digit of a tick (-0.1763975396885); four significant digits are enough to read
        // (not on a log axis: there XChart's own decade labels are right, and a function would replace them)
        if (!logX) {
            chart.getStyler().setxAxisTickLabelsFormattingFunction(LinePlot::tick);
        }
        if (!logY) {
            chart.getStyler().setyAxisTickLabelsFormattingFunction(LinePlot::tick);
        }
        chart.getStyler().setMarkerSize(series.stream().anyMatch(s -> s.x.length <= 40 || s.markersOnly) ? 6 : 0);
        for (Series s : series) {
            XYSeries added = s.error == null ? chart.addSeries(s.name, s.x, s.y)
                    : chart.addSeries(s.name, s.x, s.y, s.error);
            Color colour = COLOURS[series.indexOf(s) % COLOURS.length];
            added.setLineColor(colour);
            added.setMarkerColor(colour);
            if (s.lower != null) {
                for (double[] bound : new double[][] {s.lower, s.upper}) {
                    XYSeries b = chart.addSeries(s.name + (bound == s.lower ? " (lower)" : " (upper)"), s.x, bound);
                    b.setLineColor(colour);
                    b.setLineStyle(SeriesLines.DASH_DASH);
                    b.setLineWidth(0.8f);
                    b.setMarker(SeriesMarkers.NONE);
                    b.setShowInLegend(false);
                }
            }
            if (s.markersOnly) {
                added.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            } else if (s.x.length > 40) {
                added.setMarker(SeriesMarkers.NONE);
            }
        }
        // BitmapEncoder appends ".png" when the name lacks it; write to a name that has it, then move.
        String name = file.getFileName().toString();
        Path png = name.endsWith(".png") ? file : file.resolveSibling(name + ".png");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        if (!png.equals(file)) {
            java.nio.file.Files.move(png, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
