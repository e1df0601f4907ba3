package dev.descent.analysis.monitor;

import dev.descent.analysis.report.LinePlot;
import dev.descent.analysis.report.StudyFolder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Writes a {@link TrainingMonitor}'s rows: {@code monitor.csv} (one column per statistic, then
 * {@code weight_norm.<parameter>} per parameter tensor), {@code loss_change_histograms.csv} (one line per bin per
 * row) and the plots {@code loss.png}, {@code grad_norm.png}, {@code weight_norms.png}, {@code displacement.png},
 * {@code window_distance.png} and {@code loss_change_histograms.png}.
 */
final class MonitorReport {
    /** Per-tensor weight norms are drawn only for models with at most this many parameter tensors. */
    private static final int MAX_TENSOR_SERIES = 12;
    /** The histograms drawn in {@code loss_change_histograms.png}, spread over the run. */
    private static final int HISTOGRAMS_DRAWN = 4;

    private MonitorReport() {
    }

    static void write(StudyFolder folder, List<MonitorRow> rows, List<double[]> losses, List<String> names) {
        List<String> header = new ArrayList<>(List.of("step", "loss", "loss_mean", "full_loss", "full_grad_norm",
                "sgrad_norm_mean", "sgrad_norm_var", "weight_norm", "displacement", "loss_change_mean", "ks", "w1"));
        names.forEach(n -> header.add("weight_norm." + n));
        List<List<?>> table = new ArrayList<>();
        List<List<?>> bins = new ArrayList<>();
        for (MonitorRow r : rows) {
            List<Object> line = new ArrayList<>(List.of(r.step(), r.loss(), r.lossMean(), r.fullLoss(),
                    r.fullGradNorm(), r.stochasticGradNormMean(), r.stochasticGradNormVar(), r.weightNorm(),
                    r.displacement(), r.lossChangeMean(), r.ks(), r.w1()));
            names.forEach(n -> line.add(r.weightNorms().get(n)));
            table.add(line);
            Histogram h = r.histogram();
            for (int i = 0; h != null && i < h.counts().length; i++) {
                bins.add(List.of(r.step(), i, h.binStart(i), h.binStart(i) + h.binWidth(), h.counts()[i]));
            }
        }
        folder.writeCsv("monitor.csv", header, table);
        folder.writeCsv("loss_change_histograms.csv", List.of("step", "bin", "lo", "hi", "count"), bins);
        if (rows.isEmpty()) {
            return;
        }
        writeLossPlot(folder, rows, losses);
        // a linear axis: XChart labels only the decades of a log axis, and gradient norms often span less than one
        LinePlot grads = new LinePlot("Gradient norms", "step", "‖g‖");
        int drawn = add(grads, "full-batch ‖∇L(θ_t)‖ (eval mode)", rows, MonitorRow::fullGradNorm, false)
                + add(grads, "mean stochastic ‖g_t‖ since the previous row", rows, MonitorRow::stochasticGradNormMean,
                        false);
        writeIfDrawn(folder, "grad_norm.png", grads, drawn);
        LinePlot weights = new LinePlot("Weight norms", "step", "‖θ‖");
        drawn = add(weights, "all parameters", rows, MonitorRow::weightNorm, false);
        if (names.size() <= MAX_TENSOR_SERIES) {
            for (String n : names) {
                drawn += add(weights, n, rows, r -> r.weightNorms().get(n), false);
            }
        }
        writeIfDrawn(folder, "weight_norms.png", weights, drawn);
        LinePlot displacement = new LinePlot("Displacement over a window", "step", "‖θ_t − θ_{t−w}‖");
        drawn = add(displacement, "displacement", rows, MonitorRow::displacement, false);
        writeIfDrawn(folder, "displacement.png", displacement, drawn);
        LinePlot distance = new LinePlot("Loss changes ΔL: distance between consecutive windows", "step",
                "distance");
        drawn = add(distance, "Kolmogorov–Smirnov", rows, MonitorRow::ks, false)
                + add(distance, "1-Wasserstein (loss units)", rows, MonitorRow::w1, false);
        writeIfDrawn(folder, "window_distance.png", distance, drawn);
        if (rows.stream().anyMatch(r -> r.histogram() != null)) {
            folder.writePlot("loss_change_histograms.png", histogramPlot(rows));
        }
    }

    /** XChart cannot draw a chart without series: a statistic never measured gets no plot. */
    private static void writeIfDrawn(StudyFolder folder, String name, LinePlot plot, int series) {
        if (series > 0) {
            folder.writePlot(name, plot);
        }
    }

    private static void writeLossPlot(StudyFolder folder, List<MonitorRow> rows, List<double[]> losses) {
        boolean positive = losses.stream().allMatch(l -> l[1] > 0);
        LinePlot plot = new LinePlot("Training loss", "step", "loss");
        if (positive) {
            plot.logY();
        }
        double[] x = losses.stream().mapToDouble(l -> l[0]).toArray();
        double[] y = losses.stream().mapToDouble(l -> l[1]).toArray();
        Series s = Series.of(x, y, positive);
        // the per-row mean first: XChart puts ticks on data values (1, 54, 107, ...) when the x values, in the order
        // the series bring them, are equally spaced, and on round values otherwise; the full-batch loss last, on top
        int drawn = add(plot, "batch loss, mean since the previous row", rows, MonitorRow::lossMean, positive);
        if (s.x().length > 0) {
            plot.line("batch loss", s.x(), s.y());
            drawn++;
        }
        drawn += add(plot, "full-batch loss (eval mode)", rows, MonitorRow::fullLoss, positive);
        writeIfDrawn(folder, "loss.png", plot, drawn);
    }

    /** Up to {@link #HISTOGRAMS_DRAWN} histograms, spread over the run, as densities against ΔL. */
    private static LinePlot histogramPlot(List<MonitorRow> rows) {
        LinePlot plot = new LinePlot("Histograms of the loss changes ΔL over windows", "ΔL", "density");
        List<MonitorRow> with = rows.stream().filter(r -> r.histogram() != null).toList();
        int drawn = Math.min(HISTOGRAMS_DRAWN, with.size());
        for (int k = 0; k < drawn; k++) {
            MonitorRow r = with.get(drawn == 1 ? 0 : k * (with.size() - 1) / (drawn - 1));
            Histogram h = r.histogram();
            double[] x = new double[h.counts().length];
            double[] y = new double[h.counts().length];
            for (int i = 0; i < x.length; i++) {
                x[i] = h.binStart(i) + h.binWidth() / 2;
                y[i] = h.counts()[i] / (h.total() * h.binWidth());
            }
            plot.line("window ending at step " + r.step(), x, y);
        }
        return plot;
    }

    /**
     * Adds the finite (and, for a log axis, positive) values of {@code f} as a series, if there are any; returns the
     * number of series added (0 or 1).
     */
    private static int add(LinePlot plot, String name, List<MonitorRow> rows, ToDoubleFunction<MonitorRow> f,
            boolean positive) {
        double[] x = rows.stream().mapToDouble(MonitorRow::step).toArray();
        double[] y = rows.stream().mapToDouble(f).toArray();
        Series s = Series.of(x, y, positive);
        if (s.x().length == 0) {
            return 0;
        }
        plot.line(name, s.x(), s.y());
        return 1;
    }

    /** A series without its NaN (and, for log axes, non-positive) points. */
    private record Series(double[] x, double[] y) {
        static Series of(double[] x, double[] y, boolean positive) {
            double[] kx = new double[x.length];
            double[] ky = new double[y.length];
            int n = 0;
            for (int i = 0; i < x.length; i++) {
                if (Double.isFinite(y[i]) && (!positive || y[i] > 0)) {
                    kx[n] = x[i];
                    ky[n++] = y[i];
                }
            }
            return new Series(Arrays.copyOf(kx, n), Arrays.copyOf(ky, n));
        }
    }
}
