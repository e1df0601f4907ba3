package dev.descent.analysis.rmed;

import dev.descent.analysis.report.LinePlot;
import dev.descent.analysis.report.StudyFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an {@link RmedStudy} measured: one {@link RmedPoint} per optimizer, step and layer, with the files a
 * person reads: {@code rmed.csv} (every point), {@code rmed.json} (points and per-layer summary) and
 * {@code rmed.png} (R_med against step, one line per optimizer and layer, log scale).
 *
 * @param optimizers the optimizers' names, in run order
 * @param layers the layers' dotted names
 * @param points every point, by optimizer, then step, then layer
 */
public record RmedResult(List<String> optimizers, List<String> layers, List<RmedPoint> points) {
    /** The points of one optimizer and layer, in step order. */
    public List<RmedPoint> series(String optimizer, String layer) {
        List<RmedPoint> out = new ArrayList<>();
        for (RmedPoint p : points) {
            if (p.optimizer().equals(optimizer) && p.layer().equals(layer)) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("RmedResult.series: no points for optimizer '" + optimizer
                    + "' and layer '" + layer + "' (optimizers " + optimizers + ", layers " + layers + ")");
        }
        return out;
    }

    /**
     * The geometric mean of the defined R_med values of one optimizer and layer after step 0 (the shared
     * start), NaN when none is defined: the number that says which optimizer's trajectory sits where.
     */
    public double trajectoryMean(String optimizer, String layer) {
        double logSum = 0;
        int n = 0;
        for (RmedPoint p : series(optimizer, layer)) {
            if (p.step() > 0 && p.rmed().defined()) {
                logSum += Math.log(p.rmed().value());
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.exp(logSum / n);
    }

    /** Per layer, per optimizer: the trajectory mean and the final R_med, for the JSON summary. */
    public Map<String, Map<String, Map<String, Double>>> summary() {
        Map<String, Map<String, Map<String, Double>>> out = new LinkedHashMap<>();
        for (String layer : layers) {
            Map<String, Map<String, Double>> byOptimizer = new LinkedHashMap<>();
            for (String optimizer : optimizers) {
                List<RmedPoint> s = series(optimizer, layer);
                RmedPoint last = s.get(s.size() - 1);
                Map<String, Double> values = new LinkedHashMap<>();
                values.put("trajectory_geometric_mean", trajectoryMean(optimizer, layer));
                values.put("final", last.rmed().value());
                values.put("final_negative_fraction", last.rmed().negativeFraction());
                values.put("final_loss", last.loss());
                byOptimizer.put(optimizer, values);
            }
            out.put(layer, byOptimizer);
        }
        return out;
    }

    /** Writes rmed.csv, rmed.json and rmed.png into {@code folder}. */
    public void write(StudyFolder folder) {
        List<List<Object>> rows = new ArrayList<>();
        for (RmedPoint p : points) {
            rows.add(List.of(p.optimizer(), p.step(), p.layer(), p.loss(), p.rmed().value(), p.rmed().max(),
                    p.rmed().median(), p.rmed().negativeFraction(), p.rmed().size(), p.exact(), p.products(),
                    p.meanStandardError()));
        }
        folder.writeCsv("rmed.csv", List.of("optimizer", "step", "layer", "loss", "rmed", "max", "median",
                "negative_fraction", "size", "exact", "products", "mean_standard_error"), rows);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("summary", summary());
        doc.put("points", points);
        folder.writeJson("rmed.json", doc);
        folder.writePlot("rmed.png", plot());
    }

    /**
     * R_med against step on a log axis, one line per optimizer and layer; undefined points (median not positive)
     * are left out, and the title counts them.
     */
    public LinePlot plot() {
        List<String> names = new ArrayList<>();
        List<double[][]> lines = new ArrayList<>();
        int undefined = 0;
        for (String layer : layers) {
            for (String optimizer : optimizers) {
                List<double[]> xy = new ArrayList<>();
                for (RmedPoint p : series(optimizer, layer)) {
                    if (p.rmed().defined()) {
                        xy.add(new double[] {p.step(), p.rmed().value()});
                    } else {
                        undefined++;
                    }
                }
                if (!xy.isEmpty()) {
                    names.add(optimizer + " " + layer);
                    lines.add(new double[][] {column(xy, 0), column(xy, 1)});
                }
            }
        }
        String title = "R_med = max diag(H) / median diag(H) per layer"
                + (undefined == 0 ? "" : " (" + undefined + " undefined points left out)");
        LinePlot plot = new LinePlot(title, "step", "R_med (log scale)").logY();
        for (int i = 0; i < names.size(); i++) {
            plot.line(names.get(i), lines.get(i)[0], lines.get(i)[1]);
        }
        return plot;
    }

    private static double[] column(List<double[]> rows, int j) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[j];
        }
        return out;
    }
}
