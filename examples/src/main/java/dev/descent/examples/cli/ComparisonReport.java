package dev.descent.examples.cli;

import dev.descent.analysis.report.LinePlot;
import dev.descent.analysis.report.StudyFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The tables and plots of {@code descent compare}, from its finished runs. */
final class ComparisonReport {
    private final List<String> labels;
    private final List<ComparisonRun> runs;
    private final String accuracyOn;

    ComparisonReport(List<String> labels, List<ComparisonRun> runs, String accuracyOn) {
        this.labels = labels;
        this.runs = runs;
        this.accuracyOn = accuracyOn;
    }

    private List<ComparisonRun> runsOf(String label) {
        return runs.stream().filter(r -> r.optimizer().equals(label)).toList();
    }

    /** One entry per optimizer: means and standard deviations over its seeds. */
    List<Map<String, Object>> summary() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String label : labels) {
            List<ComparisonRun> rs = runsOf(label);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", label);
            row.put("optimizer", rs.get(0).config().get("optimizer"));
            row.put("seeds", rs.size());
            double[] loss = rs.stream().mapToDouble(ComparisonRun::finalLoss).toArray();
            double[] acc = rs.stream().mapToDouble(ComparisonRun::bestAccuracy).toArray();
            row.put("final_loss", mean(loss));
            row.put("final_loss_std", std(loss));
            row.put("best_accuracy", mean(acc));
            row.put("best_accuracy_std", std(acc));
            row.put("accuracy_on", accuracyOn);
            row.put("seconds", mean(rs.stream().mapToDouble(ComparisonRun::seconds).toArray()));
            row.put("state_bytes", rs.get(0).stateBytes());
            row.put("state_bytes_per_parameter", (double) rs.get(0).stateBytes() / rs.get(0).parameters());
            rows.add(row);
        }
        return rows;
    }

    /** The summary as a fixed-width text table. */
    String table() {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-20s %-24s %-18s %9s %14s%n", "optimizer",
                "final loss (mean ± sd)", "best accuracy", "time (s)", "state (B/param)"));
        for (Map<String, Object> row : summary()) {
            t.append(String.format(Locale.ROOT, "%-20s %-24s %-18s %9.2f %14.2f%n", row.get("label"),
                    String.format(Locale.ROOT, "%.4f ± %.4f", row.get("final_loss"), row.get("final_loss_std")),
                    String.format(Locale.ROOT, "%.4f ± %.4f", row.get("best_accuracy"), row.get("best_accuracy_std")),
                    row.get("seconds"), row.get("state_bytes_per_parameter")));
        }
        return t.append("(final loss: mean training loss over the last 5% of steps; accuracy on the ")
                .append(accuracyOn).append(" examples)\n").toString();
    }

    /** Writes results.csv, summary.csv, summary.json, loss.png and accuracy.png into {@code run}. */
    void write(Path run) {
        StudyFolder folder = new StudyFolder(run);
        List<List<Object>> rows = new ArrayList<>();
        for (ComparisonRun r : runs) {
            rows.add(List.of(r.optimizer(), r.config().get("optimizer"), r.seed(), r.finalLoss(), r.bestAccuracy(),
                    r.seconds(), r.stateBytes(), r.parameters()));
        }
        folder.writeCsv("results.csv", List.of("label", "optimizer", "seed", "final_loss", "best_accuracy", "seconds",
                "state_bytes", "parameters"), rows);
        List<Map<String, Object>> summary = summary();
        folder.writeCsv("summary.csv", new ArrayList<>(summary.get(0).keySet()),
                summary.stream().map(m -> new ArrayList<Object>(m.values())).toList());
        folder.writeJson("summary.json", summary);
        folder.writePlot("loss.png", lossPlot());
        folder.writePlot("accuracy.png", accuracyPlot());
    }

    /** Mean training loss over seeds, smoothed over a window of a fiftieth of the steps, with ± one sd. */
    private LinePlot lossPlot() {
        LinePlot plot = new LinePlot("training loss (mean over seeds, ± 1 sd)", "step", "loss").logY();
        for (String label : labels) {
            List<ComparisonRun> rs = runsOf(label);
            int n = rs.get(0).losses().length;
            int window = Math.max(1, n / 50);
            List<double[]> smoothed = rs.stream().map(r -> smooth(r.losses(), window)).toList();
            double[] x = new double[n];
            double[] mean = new double[n];
            double[] lo = new double[n];
            double[] hi = new double[n];
            for (int i = 0; i < n; i++) {
                final int at = i;
                double[] values = smoothed.stream().mapToDouble(s -> s[at]).toArray();
                x[i] = i + 1;
                mean[i] = mean(values);
                double sd = std(values);
                lo[i] = Math.max(mean[i] - sd, mean[i] * 1e-3);
                hi[i] = mean[i] + sd;
            }
            plot.band(label, x, mean, lo, hi);
        }
        return plot;
    }

    private LinePlot accuracyPlot() {
        LinePlot plot = new LinePlot("accuracy on the " + accuracyOn + " examples (mean over seeds)", "step",
                "accuracy");
        for (String label : labels) {
            List<ComparisonRun> rs = runsOf(label);
            long[] steps = rs.get(0).evalSteps();
            double[] x = new double[steps.length];
            double[] y = new double[steps.length];
            for (int i = 0; i < steps.length; i++) {
                final int at = i;
                x[i] = steps[i];
                y[i] = mean(rs.stream().mapToDouble(r -> r.evalAccuracy()[at]).toArray());
            }
            plot.line(label, x, y);
        }
        return plot;
    }

    /** The trailing mean over {@code window} values (fewer at the start). */
    static double[] smooth(double[] v, int window) {
        double[] out = new double[v.length];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            sum += v[i];
            if (i >= window) {
                sum -= v[i - window];
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The sample standard deviation (0 for a single value). */
    static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
